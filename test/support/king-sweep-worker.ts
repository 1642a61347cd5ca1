import { parentPort, workerData } from 'node:worker_threads';
import { checkKingCase } from './king-cases.js';
import { everyCase } from './sweep-cases.js';

/**
 * A worker thread of the King sweep: checks every `stride`-th case of one (n, t) from `offset` on
 * and sends back how many it ran, the IC1/IC2 violations and the first problems it found.
 */
const port = parentPort;
if (port === null) throw new Error('king-sweep-worker must run as a worker thread');
const { n, t, offset, stride } = workerData as { n: number; t: number; offset: number; stride: number };
const cases = everyCase(n, t);
let run = 0;
let violations = 0;
const problems: string[] = [];
for (let i = offset; i < cases.length; i += stride) {
  const verdict = checkKingCase(cases[i] as (typeof cases)[number]);
  run++;
  if (!verdict.ic1 || !verdict.ic2) violations++;
  if (problems.length < 20) problems.push(...verdict.problems.slice(0, 20 - problems.length));
}
port.postMessage({ run, violations, problems });
