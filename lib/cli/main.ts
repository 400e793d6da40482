import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CliError, parseIsoDate, parseNonNegative, parsePositiveInt, parseRange } from './errors';

const DAY_MS = 86_400_000;

// Verbs load their modules lazily: `--help` and argument errors stay instant.

/** Adapts our parsers to commander: a bad value becomes its one-line "error: option … argument …". */
const arg =
  <T>(parse: (v: string) => T) =>
  (v: string): T => {
    try {
      return parse(v);
    } catch (err) {
      throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
    }
  };

function progressLine(label: string, total?: number) {
  let last = 0;
  return (n: number) => {
    const now = Date.now();
    if (!process.stderr.isTTY || now - last < 250) return;
    last = now;
    const pct = total ? ` (${Math.min(100, Math.round((n / total) * 100))}%)` : '';
    process.stderr.write(`\r${label}: ${n.toLocaleString('en-US')} events${pct}   `);
  };
}

function buildProgram(): Command {
  const program = new Command('dasboard')
    .description('Segregated, queryable audit trails from AWS Database Activity Streams')
    .configureOutput({ outputError: (str, write) => write(`${str.split('\n')[0]}\n`) })
    .exitOverride();

  program
    .command('generate')
    .description('write realistic encrypted DAS traffic (Firehose or Kinesis events, or NDJSON records)')
    .option('--events <n>', 'audit events to generate', arg(parsePositiveInt('--events')), 100_000)
    .option(
      '--days <n>',
      'time span ending now, in days (ignored with --from/--to)',
      arg(parsePositiveInt('--days')),
      7,
    )
    .option('--from <iso>', 'start of the time span', arg(parseIsoDate('--from')))
    .option('--to <iso>', 'end of the time span', arg(parseIsoDate('--to')))
    .option('--seed <n>', 'random seed (same seed, same traffic)', arg(parsePositiveInt('--seed')), 1)
    .option(
      '--sources <n>',
      'activity streams (clusters / instances), at least one per engine',
      arg(parsePositiveInt('--sources')),
      4,
    )
    .addOption(
      new Option('--format <f>', 'output format')
        .choices(['firehose', 'kinesis', 'ndjson'])
        .default('firehose'),
    )
    .option('--out <dir>', 'output folder', 'das-events')
    .option(
      '--local-key <file>',
      'local key file (the stand-in for KMS; created if missing)',
      '.dasboard/local-key.json',
    )
    .option('--region <r>', 'AWS region written into the events', 'eu-west-1')
    .option(
      '--events-per-record <min-max>',
      'events packed per DAS record, e.g. 1-200',
      arg(parseRange),
      undefined,
    )
    .option(
      '--heartbeat-every <s>',
      'simulated seconds between heartbeat records per instance (0: none)',
      arg(parseNonNegative('--heartbeat-every')),
    )
    .option('--workers <n>', 'worker threads', arg(parsePositiveInt('--workers')))
    .action(async (o) => {
      const { runGenerate } = await import('./generate');
      const to: Date = o.to ?? new Date();
      const from: Date = o.from ?? new Date(to.getTime() - o.days * DAY_MS);
      const summary = await runGenerate({
        events: o.events,
        from,
        to,
        seed: o.seed,
        sources: o.sources,
        format: o.format,
        out: o.out,
        keyFile: o.localKey,
        region: o.region,
        workers: o.workers,
        eventsPerRecord: o.eventsPerRecord,
        heartbeatEvery: o.heartbeatEvery,
        onProgress: progressLine('generate', o.events),
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    });

  program
    .command('ingest')
    .description('run the ingest Lambda core over Firehose events, Kinesis events or NDJSON DAS records')
    .argument('<files...>', 'input files')
    .option('--store <url>', 'folder, file://… or s3://bucket/prefix (default: $DASBOARD_STORE or ./data)')
    .option('--local-key <file>', 'decrypt data keys with this local key file instead of AWS KMS')
    .option(
      '--resource-id <id>',
      'resource id for the KMS encryption context (default: from the stream name)',
    )
    .option('--config <file>', 'config file with filter rules (default: $DASBOARD_CONFIG)')
    .option('--workers <n>', 'worker threads', arg(parsePositiveInt('--workers')), 1)
    .action(async (files: string[], o) => {
      const { runIngest, runIngestParallel } = await import('./ingest');
      const options = {
        files,
        store: o.store ?? process.env.DASBOARD_STORE,
        localKey: o.localKey,
        resourceId: o.resourceId ?? process.env.DAS_RESOURCE_ID,
        config: o.config ?? process.env.DASBOARD_CONFIG,
      };
      const summary =
        o.workers > 1
          ? await runIngestParallel(options, o.workers, progressLine('ingest'))
          : await runIngest(options);
      if (process.stderr.isTTY) process.stderr.write('\n');
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    });

  program
    .command('export')
    .description("filtered events to stdout as CSV (storage column names) or NDJSON, under a role's rights")
    .argument('[search]', 'search syntax, e.g. \'class:DDL user:alice "drop table"\'', '')
    .requiredOption('--from <iso>', 'start of the range (inclusive)')
    .requiredOption('--to <iso>', 'end of the range (exclusive)')
    .addOption(new Option('--format <f>', 'output format').choices(['csv', 'ndjson']).default('csv'))
    .option(
      '--columns <list>',
      'storage column names separated by commas, or all (default: CSV every column but raw, NDJSON all)',
    )
    .requiredOption('--as-role <role>', 'export with the rights of this role')
    .option('--store <url>', 'folder or s3://bucket/prefix (default: $DASBOARD_STORE or ./data)')
    .option('--config <file>', 'config file with the roles (default: $DASBOARD_CONFIG)')
    .action(async (search: string, o) => {
      if (o.store) process.env.DASBOARD_STORE = o.store;
      const { runExport } = await import('./export');
      await runExport({
        search,
        from: o.from,
        to: o.to,
        format: o.format,
        ...(o.columns === undefined ? {} : { columns: o.columns }),
        asRole: o.asRole,
        config: o.config ?? process.env.DASBOARD_CONFIG,
      });
    });

  program
    .command('athena-ddl')
    .description('the Athena / Glue table definition of the activity table, generated from the schema')
    .option(
      '--location <s3url>',
      'store root (s3://bucket/prefix); the table sits at <root>/activity/',
      's3://your-bucket/dasboard',
    )
    .option('--database <name>', 'Glue database', process.env.ATHENA_DATABASE ?? 'dasboard')
    .option('--table <name>', 'table name', process.env.ATHENA_TABLE ?? 'activity')
    .option('--projection-start <date>', 'first dt of the partition projection (YYYY-MM-DD)')
    .action(async (o) => {
      const { athenaDdl } = await import('../audit/athena-ddl');
      try {
        const ddl = athenaDdl({
          database: o.database,
          table: o.table,
          location: o.location,
          ...(o.projectionStart ? { projectionStartDate: o.projectionStart } : {}),
        });
        process.stdout.write(`${ddl};\n`);
      } catch (err) {
        const { ZodError } = await import('zod');
        if (err instanceof ZodError)
          throw new CliError(`${err.issues[0]?.path.join('.')}: ${err.issues[0]?.message}`);
        throw err;
      }
    });

  const users = program.command('users').description('local users of the embedded mode');
  users
    .command('add')
    .description('add a local user (password read from stdin)')
    .argument('<name>', 'user name')
    .requiredOption('--role <role...>', 'role(s) of the user')
    .option('--config <file>', 'config file to write (default: $DASBOARD_CONFIG)')
    .option('--replace', 'replace an existing user')
    .action(async (name: string, o) => {
      const { runUsersAdd, UsageError } = await import('../auth/users');
      try {
        await runUsersAdd(
          {
            name,
            role: o.role,
            config: o.config ?? process.env.DASBOARD_CONFIG,
            replace: Boolean(o.replace),
          },
          process.stdin,
        );
      } catch (err) {
        if (err instanceof UsageError || (err instanceof Error && err.name === 'WeakPasswordError')) {
          throw new CliError(err.message);
        }
        throw err;
      }
    });

  const serverOptions = (cmd: Command) =>
    cmd
      .option('--port <n>', 'port (default: $PORT or 3000)', arg(parsePositiveInt('--port')))
      .option('--host <h>', 'interface to listen on', process.env.HOST ?? '127.0.0.1')
      .option('--store <url>', 'folder or s3://bucket/prefix (default: $DASBOARD_STORE or ./data)')
      .option('--config <file>', 'config file (default: $DASBOARD_CONFIG)');
  const portOf = (o: { port?: number }) => o.port ?? parsePositiveInt('PORT')(process.env.PORT ?? '3000');

  serverOptions(program.command('start'))
    .description('the embedded demo: demo data and users if the store is empty, then the dashboard')
    .option(
      '--demo-events <n>',
      'events to generate into an empty store',
      arg(parsePositiveInt('--demo-events')),
      1_000_000,
    )
    .action(async (o) => {
      const { runStart } = await import('./start');
      await runStart({
        port: portOf(o),
        host: o.host,
        store: o.store ?? process.env.DASBOARD_STORE,
        config: o.config ?? process.env.DASBOARD_CONFIG,
        demoEvents: o.demoEvents,
      });
    });

  serverOptions(program.command('serve'))
    .description('the dashboard and API (production build)')
    .action(async (o) => {
      const { ensureBuild, serve } = await import('./serve');
      await ensureBuild((l) => process.stderr.write(`[dasboard] ${l}\n`));
      const env: Record<string, string> = {};
      const store = o.store ?? process.env.DASBOARD_STORE;
      const config = o.config ?? process.env.DASBOARD_CONFIG;
      if (store) env.DASBOARD_STORE = store;
      if (config) env.DASBOARD_CONFIG = config;
      await serve({ port: portOf(o), host: o.host, env });
    });

  return program;
}

/** Runs the CLI; every failure is one line on stderr and a non-zero exit. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    if (err instanceof CliError) {
      process.stderr.write(`dasboard: ${err.message}\n`);
      process.exitCode = err.exitCode;
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`dasboard: ${message.split('\n')[0]}\n`);
    process.exitCode = 1;
  }
}
