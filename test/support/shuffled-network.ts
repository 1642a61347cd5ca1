import { OmRun } from '../../src/core/om/om-run.js';
import type { Order } from '../../src/core/order.js';
import { type Batch, isRejection, type Step } from '../../src/core/run/types.js';
import type { Strategy } from '../../src/core/strategy.js';

/** mulberry32: a small seeded generator owned by the tests, so shuffles replay exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ShuffledOutcome {
  readonly decisions: Map<number, Order>;
  /** Batches that arrived for a round the receiver had not reached yet. */
  readonly early: number;
  readonly rejected: number;
  readonly expiries: number;
}

/**
 * Runs n GeneralRuns over a network that delivers whatever is in flight in a seeded random order
 * (any batch may overtake any other). When nothing is in flight, the earliest waiting round's
 * deadline fires, as under synchrony.
 */
export function runShuffled(
  n: number,
  t: number,
  order: Order,
  roster: ReadonlyMap<number, Strategy>,
  seed: number,
): ShuffledOutcome {
  const random = seededRandom(seed);
  const generals: OmRun[] = [];
  for (let id = 0; id < n; id++) {
    const strategy = roster.get(id) ?? { kind: 'loyal' };
    generals.push(new OmRun({ runId: 'shuffled', id, n, t, strategy, ...(id === 0 ? { order } : {}) }));
  }
  const inFlight: Batch[] = [];
  const take = (step: Step): void => {
    inFlight.push(...step.outbox);
  };
  let early = 0;
  let rejected = 0;
  let expiries = 0;
  const commander = generals[0];
  if (commander === undefined) throw new RangeError('no commander');
  take(commander.start());
  for (;;) {
    while (inFlight.length > 0) {
      const pick = Math.floor(random() * inFlight.length);
      const batch = inFlight[pick] as Batch;
      inFlight[pick] = inFlight[inFlight.length - 1] as Batch;
      inFlight.pop();
      const receiver = generals[batch.receiver];
      if (receiver === undefined) throw new RangeError(`no general ${batch.receiver}`);
      if (batch.round > receiver.round) early++;
      const result = receiver.receive(batch);
      if (isRejection(result)) rejected++;
      else take(result);
    }
    const waiting = generals.filter((g) => g.decision === undefined);
    if (waiting.length === 0) break;
    const earliest = Math.min(...waiting.map((g) => g.round));
    expiries++;
    for (const g of waiting) if (g.round === earliest) take(g.expire(earliest));
  }
  const decisions = new Map<number, Order>();
  for (let id = 1; id < n; id++) {
    const decision = generals[id]?.decision;
    if (decision !== undefined) decisions.set(id, decision);
  }
  return { decisions, early, rejected, expiries };
}
