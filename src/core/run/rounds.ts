import { COMMANDER } from '../paths.js';
import type { Batch, Rejection, RejectionCode, RoundOutcome } from './types.js';

/** What a receiver tracks of one round, whatever the algorithm; each algorithm may add to it. */
export interface RoundSlot {
  readonly received: Set<number>;
  closed: boolean;
  timedOut: boolean;
}

interface Receiver {
  readonly n: number;
  readonly t: number;
  readonly id: number;
}

/**
 * The rounds one receiver expects, shared by OM and SM (both run in the same rounds): which batches
 * are admissible at all, when a round is complete, and what closing it reports.
 */
export class Rounds<S extends RoundSlot> {
  private readonly slots: S[] = [];

  constructor(
    private readonly receiver: Receiver,
    slot: () => S,
  ) {
    for (let r = 0; r <= receiver.t; r++) this.slots.push(slot());
  }

  slot(round: number): S {
    const slot = this.slots[round];
    if (slot === undefined) throw new RangeError(`round ${round} is outside 0..${this.receiver.t}`);
    return slot;
  }

  /** Every batch of round r from each sender that round expects is in. */
  complete(round: number): boolean {
    return this.slot(round).received.size >= batchesExpected(this.receiver.n, round);
  }

  /**
   * The checks every algorithm makes before looking at a batch's values: the receiver, the round,
   * the sender (only the commander sends round 0, only lieutenants later), duplicates, closed rounds.
   */
  admit(batch: Batch): Rejection | undefined {
    const { n, t, id } = this.receiver;
    const { round, sender, receiver } = batch;
    if (receiver !== id) {
      return reject('wrong-receiver', `batch addressed to general ${receiver}, this is general ${id}`);
    }
    if (!Number.isInteger(round) || round < 0 || round > t) {
      return reject('round-out-of-range', `round ${round} is outside 0..${t} for this run`);
    }
    const validSender =
      Number.isInteger(sender) &&
      sender >= 0 &&
      sender < n &&
      sender !== id &&
      id !== COMMANDER &&
      (round === 0 ? sender === COMMANDER : sender !== COMMANDER);
    if (!validSender) {
      return reject(
        'not-a-peer',
        round === 0
          ? `general ${sender} cannot send round 0 to general ${id}: only the commander (0) does`
          : `general ${sender} is not a lieutenant that sends round ${round} to general ${id} (n=${n})`,
      );
    }
    const slot = this.slot(round);
    if (slot.received.has(sender)) {
      return reject('duplicate', `round ${round} from general ${sender} was already received`);
    }
    if (slot.closed) return reject('round-closed', `round ${round} already closed (deadline passed)`);
    return undefined;
  }

  /** Closes round r and says what it got and whom it still missed. */
  close(round: number): RoundOutcome {
    const { n, id } = this.receiver;
    const slot = this.slot(round);
    slot.closed = true;
    const missing: number[] = [];
    const senders = round === 0 ? [COMMANDER] : lieutenantsExcept(n, id);
    for (const sender of senders) if (!slot.received.has(sender)) missing.push(sender);
    return {
      round,
      batchesExpected: batchesExpected(n, round),
      batchesReceived: slot.received.size,
      timedOut: slot.timedOut,
      missing,
    };
  }
}

export function reject(code: RejectionCode, message: string): Rejection {
  return { code, message };
}

export function lieutenantsExcept(n: number, id: number): number[] {
  const out: number[] = [];
  for (let j = 1; j < n; j++) if (j !== id) out.push(j);
  return out;
}

/** Batches a lieutenant expects in round r. */
export function batchesExpected(n: number, round: number): number {
  return round === 0 ? 1 : n - 2;
}
