import { type IngestOptions, type IngestRunSummary, runIngest } from './ingest';

export type IngestTaskInput = Omit<IngestOptions, 'onBatch'>;

/** Worker task: ingest a share of the files; progress reports events stored so far. */
export async function ingestTask(
  input: IngestTaskInput,
  progress: (p: { events: number }) => void,
): Promise<IngestRunSummary> {
  let events = 0;
  return runIngest({
    ...input,
    onBatch: (_label, s) => {
      events += s.events.stored;
      progress({ events });
    },
  });
}
