import { Worker } from 'node:worker_threads';
import { CliError } from './errors';

/**
 * Runs `exportName` of `moduleUrl` in one worker thread per input (CPU-bound work: sealing and
 * decrypting records). The task gets its input and a progress callback; inputs must be cloneable.
 */
export async function runInWorkers<I, R, P>(
  moduleUrl: URL,
  exportName: string,
  inputs: readonly I[],
  onProgress?: (worker: number, progress: P) => void,
): Promise<R[]> {
  return Promise.all(
    inputs.map(
      (input, index) =>
        new Promise<R>((resolve, reject) => {
          const worker = new Worker(new URL('./worker-bootstrap.mjs', import.meta.url), {
            workerData: { module: moduleUrl.href, exportName, input },
          });
          let settled = false;
          worker.on(
            'message',
            (msg: { type: string; result?: R; progress?: P; message?: string; name?: string }) => {
              if (msg.type === 'progress' && onProgress) onProgress(index, msg.progress as P);
              if (msg.type === 'done') {
                settled = true;
                resolve(msg.result as R);
              }
              if (msg.type === 'error') {
                settled = true;
                reject(
                  msg.name === 'CliError' ? new CliError(msg.message ?? 'failed', 1) : new Error(msg.message),
                );
              }
            },
          );
          worker.on('error', (err) => {
            settled = true;
            reject(err);
          });
          worker.on('exit', (code) => {
            if (!settled) reject(new Error(`worker ${index} exited with code ${code}`));
          });
        }),
    ),
  );
}
