import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DuckDbAthenaBackend, QueryOutcome, RunningQuery } from './athena-server-duckdb';
import { resultCsv } from './athena-server-results';
import { substituteParameters } from './athena-server-sql';

/*
 * Query executions of the Athena-protocol test server: the QUEUED → RUNNING → SUCCEEDED / FAILED /
 * CANCELLED life cycle, result reuse and the result object written to the output location.
 */

export type ExecutionState = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

export interface Execution {
  readonly id: string;
  readonly query: string;
  readonly params: readonly string[];
  readonly database: string;
  readonly workGroup: string;
  /** Full `s3://bucket/prefix/<id>.csv` of the result object. */
  resultLocation: string;
  state: ExecutionState;
  /** The text DuckDB ran (parameters substituted), for tests. */
  sql: string | null;
  failure: string | null;
  outcome: QueryOutcome | null;
  reused: boolean;
  stopRequested: boolean;
  /** Every state a GetQueryExecution call reported, in order. */
  observedStates: ExecutionState[];
  readonly submittedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  readonly stop: AbortController;
  running: RunningQuery | null;
}

export interface StartRequest {
  query: string;
  params: readonly string[];
  database: string;
  workGroup: string;
  outputLocation: string;
  reuseMaxAgeMinutes: number | null;
  clientRequestToken: string | undefined;
}

export interface ExecutionTimings {
  queuedMs: number;
  runningMs: number;
}

export type PutResult = (location: string, csv: string) => Promise<void>;

export class Executions {
  private readonly byId = new Map<string, Execution>();
  private readonly byToken = new Map<string, string>();

  constructor(
    private readonly backend: DuckDbAthenaBackend,
    private readonly timings: ExecutionTimings,
    private readonly putResult: PutResult,
  ) {}

  get(id: string): Execution | undefined {
    return this.byId.get(id);
  }

  all(): Execution[] {
    return [...this.byId.values()];
  }

  start(request: StartRequest): Execution {
    const known = request.clientRequestToken && this.byToken.get(request.clientRequestToken);
    const existing = known ? this.byId.get(known) : undefined;
    if (existing) return existing;
    const id = randomUUID();
    const execution: Execution = {
      id,
      query: request.query,
      params: request.params,
      database: request.database,
      workGroup: request.workGroup,
      resultLocation: `${request.outputLocation.replace(/\/*$/, '/')}${id}.csv`,
      state: 'QUEUED',
      sql: null,
      failure: null,
      outcome: null,
      reused: false,
      stopRequested: false,
      observedStates: [],
      submittedAt: Date.now(),
      startedAt: null,
      finishedAt: null,
      stop: new AbortController(),
      running: null,
    };
    const previous = request.reuseMaxAgeMinutes === null ? undefined : this.reusable(request);
    this.byId.set(id, execution);
    if (request.clientRequestToken) this.byToken.set(request.clientRequestToken, id);
    if (previous?.outcome) {
      execution.state = 'SUCCEEDED';
      execution.reused = true;
      execution.outcome = previous.outcome;
      execution.resultLocation = previous.resultLocation;
      execution.sql = previous.sql;
      execution.startedAt = Date.now();
      execution.finishedAt = execution.startedAt;
    } else {
      void this.run(execution);
    }
    return execution;
  }

  stop(id: string): Execution | undefined {
    const execution = this.byId.get(id);
    if (!execution) return undefined;
    execution.stopRequested = true;
    if (execution.state === 'QUEUED' || execution.state === 'RUNNING') {
      execution.state = 'CANCELLED';
      execution.finishedAt = Date.now();
      execution.stop.abort();
      execution.running?.cancel();
    }
    return execution;
  }

  /** Waits for every execution to leave QUEUED/RUNNING (used by close). */
  async settle(): Promise<void> {
    for (const execution of this.byId.values()) this.stop(execution.id);
    await Promise.all([...this.byId.values()].map((e) => e.running?.done.catch(() => undefined)));
  }

  // Athena reuses the newest successful result of the same text, parameters, database and
  // workgroup that is younger than the requested age.
  private reusable(request: StartRequest): Execution | undefined {
    const since = Date.now() - (request.reuseMaxAgeMinutes ?? 0) * 60_000;
    return this.all()
      .filter((e) => e.state === 'SUCCEEDED' && (e.finishedAt ?? 0) >= since)
      .filter((e) => e.query === request.query && e.database === request.database)
      .filter((e) => e.workGroup === request.workGroup && sameParams(e.params, request.params))
      .at(-1);
  }

  private async run(execution: Execution): Promise<void> {
    const { signal } = execution.stop;
    try {
      await sleep(this.timings.queuedMs, undefined, { signal });
      execution.state = 'RUNNING';
      execution.startedAt = Date.now();
      execution.sql = substituteParameters(execution.query, execution.params);
      execution.running = this.backend.start(execution.sql, execution.database);
      const outcome = await execution.running.done;
      const left = execution.startedAt + this.timings.runningMs - Date.now();
      if (left > 0) await sleep(left, undefined, { signal });
      await this.putResult(execution.resultLocation, resultCsv(outcome));
      if (signal.aborted) return;
      execution.outcome = outcome;
      execution.state = 'SUCCEEDED';
    } catch (error) {
      if (signal.aborted) return;
      execution.state = 'FAILED';
      execution.failure = error instanceof Error ? error.message : String(error);
    }
    execution.finishedAt = Date.now();
  }
}

function sameParams(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
