import { once } from 'node:events';
import { userInfo } from 'node:os';
import { ZodError } from 'zod';
import { SearchSyntaxError } from '../audit/search-syntax';
import { buildPrincipal } from '../auth/principal';
import { loadConfig } from '../config/load';
import { AppError } from '../http/errors';
import { CliError } from './errors';

export interface ExportOptions {
  search: string;
  from?: string;
  to?: string;
  format: 'csv' | 'ndjson';
  /** `all` or storage column names separated by commas; default per format. */
  columns?: string;
  asRole: string;
  config?: string;
  out?: NodeJS.WritableStream;
}

/**
 * `dasboard export`: the API's export path (same service, same grant, same CSV), to stdout. The
 * manifest (rows, SHA-256) goes to stderr so scripts can verify what they received.
 */
export async function runExport(options: ExportOptions): Promise<void> {
  const [{ parseActivityRequest }, { getAuditService }, { parseColumnsParam }] = await Promise.all([
    import('../audit/activity-request'),
    import('../audit/service-singleton'),
    import('../audit/export'),
  ]);
  const config = loadConfig(options.config);
  const user = userInfo().username;
  const principal = buildPrincipal(
    { id: `cli:${user}`, name: user, idp: 'local', roles: [options.asRole], sessionId: 'cli' },
    config,
  );
  if (!principal) {
    throw new CliError(`unknown role "${options.asRole}" (roles: ${Object.keys(config.roles).join(', ')})`);
  }
  try {
    const query = parseActivityRequest({ q: options.search, from: options.from, to: options.to });
    const columns = parseColumnsParam(options.columns);
    const handle = await getAuditService().exportEvents(principal, {
      query,
      format: options.format,
      ...(columns === undefined ? {} : { columns }),
    });
    await drainTo(handle.body, options.out ?? process.stdout);
    const manifest = await handle.manifest;
    process.stderr.write(`${JSON.stringify(manifest)}\n`);
  } catch (err) {
    if (err instanceof SearchSyntaxError) throw new CliError(`search: ${err.message}`);
    if (err instanceof ZodError) {
      const issue = err.issues[0];
      throw new CliError(`${issue?.path.join('.') || 'arguments'}: ${issue?.message}`);
    }
    if (err instanceof AppError && err.status < 500) throw new CliError(err.message, 1);
    throw err;
  }
}

/** Copies the export to stdout with backpressure (the export produces a chunk only when pulled). */
async function drainTo(body: ReadableStream<Uint8Array>, out: NodeJS.WritableStream): Promise<void> {
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    if (!out.write(value)) await once(out, 'drain');
  }
}
