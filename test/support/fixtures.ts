import type { Order } from '../../src/core/order.js';
import type { Batch, Rejection, Step } from '../../src/core/run/types.js';
import type { Strategy } from '../../src/core/strategy.js';
import type { DeterministicKind } from './reference-om.js';

/** The value, or a thrown error naming what was missing (keeps strict index access honest). */
export function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`expected ${what}`);
  return value;
}

export function batch(round: number, sender: number, receiver: number, values: readonly Order[]): Batch {
  return { runId: 'test-run', round, sender, receiver, values };
}

/** A step, or a failure that names the rejection. */
export function accepted(result: Step | Rejection): Step {
  if ('code' in result) throw new Error(`batch rejected: ${result.code}: ${result.message}`);
  return result;
}

/** The rejection, or a failure saying the batch was accepted. */
export function refused(result: Step | Rejection): Rejection {
  if (!('code' in result)) throw new Error('batch was accepted, expected a rejection');
  return result;
}

/** A roster from `id:kind` pairs, e.g. roster([3, 'flip'], [0, 'equivocate']). */
export function roster(...entries: Array<readonly [number, DeterministicKind]>): Map<number, Strategy> {
  return new Map(entries.map(([id, kind]) => [id, { kind }] as const));
}

/** A step's outbox as `receiver -> values`, for one round. */
export function sentByReceiver(step: Step, round: number): Map<number, readonly Order[]> {
  const out = new Map<number, readonly Order[]>();
  for (const b of step.outbox) if (b.round === round) out.set(b.receiver, b.values);
  return out;
}
