import { parentPort, workerData } from 'node:worker_threads';
import type { Shape } from './cases.js';
import { type Slice, sweepSlice } from './sweep.js';

/** A sweep worker: receives slices, answers each with its tally. Started by pool.ts. */
const port = parentPort;
if (port === null) throw new Error('check/worker must run as a worker thread');
const { shapes } = workerData as { shapes: readonly Shape[] };
port.on('message', (slice: Slice) => {
  port.postMessage(sweepSlice(shapes, slice.shape, slice.start, slice.end));
});
