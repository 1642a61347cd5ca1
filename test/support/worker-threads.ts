import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * Runs `module` (a .ts file beside the tests) in `count` worker threads, each given `data(i)`, and
 * resolves to their one message each. Under tsx a worker needs tsx registered before the import
 * (Node 20 ignores --import in a worker's execArgv), as src/check/pool.ts does.
 */
export function inWorkers<T>(
  module: URL,
  data: (index: number, count: number) => unknown,
  count = Math.max(1, availableParallelism()),
): Promise<T[]> {
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(module.href);
  const script = `import(${tsx}).then((tsx) => { tsx.register(); return import(${entry}); });`;
  return Promise.all(
    Array.from(
      { length: count },
      (_, index) =>
        new Promise<T>((resolve, reject) => {
          const worker = new Worker(script, { eval: true, workerData: data(index, count) });
          let answered = false;
          worker.once('message', (message: T) => {
            answered = true;
            resolve(message);
          });
          worker.once('error', reject);
          worker.once('exit', (code) => {
            if (!answered) reject(new Error(`worker ${index} exited with status ${code} before answering`));
          });
        }),
    ),
  );
}
