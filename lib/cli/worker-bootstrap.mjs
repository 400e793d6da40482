// Worker thread entry: load tsx in this thread too, then run the named TypeScript task.

import { register as registerHook } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

registerHook('../../bin/server-only-hook.mjs', import.meta.url);
register();
const mod = await import(workerData.module);
try {
  const result = await mod[workerData.exportName](workerData.input, (progress) =>
    parentPort?.postMessage({ type: 'progress', progress }),
  );
  parentPort?.postMessage({ type: 'done', result });
} catch (err) {
  parentPort?.postMessage({
    type: 'error',
    message: err instanceof Error ? err.message : String(err),
    name: err?.name,
  });
}
