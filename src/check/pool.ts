import { Worker } from 'node:worker_threads';
import type { Shape } from './cases.js';
import { emptyTally, mergeTally, type ShapeTally, type Slice, slicesOf, sweepSlice } from './sweep.js';

export interface SweepProgress {
  readonly done: number;
  readonly total: number;
  readonly violations: number;
}

export interface SweepOptions {
  /** 1 runs in this thread; more start that many worker threads. */
  readonly workers: number;
  /** Logical messages per slice of work (smaller: finer progress, more overhead). */
  readonly costPerSlice?: number;
  readonly onProgress?: (progress: SweepProgress) => void;
}

const DEFAULT_SLICE_COST = 2_000_000;

export class SweepWorkerError extends Error {
  override readonly name = 'SweepWorkerError';
}

/**
 * How to start a worker: worker.js beside this module once compiled to dist/; under tsx (this
 * module is worker.ts's sibling .ts), a one-line bootstrap that registers tsx in the worker and
 * then imports worker.ts. (Node 20 ignores `--import` in a Worker's execArgv for the entry itself,
 * so `execArgv: ['--import', tsx]` alone fails with "Unknown file extension .ts".)
 */
function workerEntry(): { script: URL | string; eval: boolean } {
  if (!import.meta.url.endsWith('.ts'))
    return { script: new URL('./worker.js', import.meta.url), eval: false };
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./worker.ts', import.meta.url).href);
  return {
    script: `import(${tsx}).then((tsx) => { tsx.register(); return import(${entry}); });`,
    eval: true,
  };
}

/** Runs every case of every shape, in this thread or across worker threads; one tally per shape. */
export async function runSweep(shapes: readonly Shape[], options: SweepOptions): Promise<ShapeTally[]> {
  const slices = slicesOf(shapes, options.costPerSlice ?? DEFAULT_SLICE_COST);
  const tallies = shapes.map((_, i) => emptyTally(i));
  const total = slices.reduce((sum, s) => sum + (s.end - s.start), 0);
  let done = 0;
  let violations = 0;
  const take = (part: ShapeTally) => {
    const into = tallies[part.shape];
    if (into === undefined) throw new SweepWorkerError(`a worker answered for unknown shape ${part.shape}`);
    mergeTally(into, part);
    done += part.cases;
    violations += part.violations;
    options.onProgress?.({ done, total, violations });
  };
  if (options.workers <= 1 || slices.length <= 1) {
    for (const slice of slices) take(sweepSlice(shapes, slice.shape, slice.start, slice.end));
    return tallies;
  }
  await inWorkers(shapes, slices, Math.min(options.workers, slices.length), take);
  return tallies;
}

function inWorkers(
  shapes: readonly Shape[],
  slices: readonly Slice[],
  count: number,
  take: (part: ShapeTally) => void,
): Promise<void> {
  const entry = workerEntry();
  const queue = [...slices];
  const workers: Worker[] = [];
  const retired = new Set<Worker>();
  return new Promise<void>((resolve, reject) => {
    let busy = 0;
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(error instanceof Error ? error : new SweepWorkerError(String(error)));
    };
    const feed = (worker: Worker) => {
      const next = queue.shift();
      if (next === undefined) {
        retired.add(worker);
        void worker.terminate();
        if (busy === 0 && !failed) resolve();
        return;
      }
      busy++;
      worker.postMessage(next);
    };
    for (let i = 0; i < count; i++) {
      const worker = new Worker(entry.script, { workerData: { shapes }, eval: entry.eval });
      workers.push(worker);
      worker.on('message', (part: ShapeTally) => {
        busy--;
        try {
          take(part);
        } catch (error) {
          fail(error);
          return;
        }
        feed(worker);
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (!retired.has(worker) && !failed) {
          fail(new SweepWorkerError(`a sweep worker exited with status ${code} before finishing`));
        }
      });
      feed(worker);
    }
  });
}
