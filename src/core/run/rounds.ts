import type { Schedule } from './schedule.js';
import type { Batch, Rejection, RejectionCode, RoundOutcome } from './types.js';

export { batchesExpected, lieutenantsExcept } from './relay-schedule.js';

/** What a receiver tracks of one round, whatever the algorithm; each algorithm may add to it. */
export interface RoundSlot {
  readonly received: Set<number>;
  closed: boolean;
  timedOut: boolean;
}

/**
 * The rounds one receiver expects under a schedule, whatever the algorithm: which batches are
 * admissible at all, when a round is complete, and what closing it reports.
 */
export class Rounds<S extends RoundSlot> {
  private readonly slots: S[] = [];

  constructor(
    private readonly id: number,
    private readonly schedule: Schedule,
    slot: () => S,
  ) {
    for (let r = 0; r <= schedule.lastRound; r++) this.slots.push(slot());
  }

  slot(round: number): S {
    const slot = this.slots[round];
    if (slot === undefined) throw new RangeError(`round ${round} is outside 0..${this.schedule.lastRound}`);
    return slot;
  }

  /** Every batch of round r from each sender the schedule names is in. */
  complete(round: number): boolean {
    return this.slot(round).received.size >= this.schedule.senders(round, this.id).length;
  }

  /**
   * The checks every algorithm makes before looking at a batch's values: the receiver, the round,
   * the sender (one the schedule has send to this general in that round), duplicates, closed rounds.
   */
  admit(batch: Batch): Rejection | undefined {
    const { id, schedule } = this;
    const { round, sender, receiver } = batch;
    if (receiver !== id) {
      return reject('wrong-receiver', `batch addressed to general ${receiver}, this is general ${id}`);
    }
    if (!Number.isInteger(round) || round < 0 || round > schedule.lastRound) {
      return reject('round-out-of-range', `round ${round} is outside 0..${schedule.lastRound} for this run`);
    }
    if (!schedule.sends(round, sender, id)) {
      return reject('not-a-peer', schedule.notASender(round, sender, id));
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
    const slot = this.slot(round);
    slot.closed = true;
    const senders = this.schedule.senders(round, this.id);
    const missing: number[] = [];
    for (const sender of senders) if (!slot.received.has(sender)) missing.push(sender);
    return {
      round,
      batchesExpected: senders.length,
      batchesReceived: slot.received.size,
      timedOut: slot.timedOut,
      missing,
    };
  }
}

export function reject(code: RejectionCode, message: string): Rejection {
  return { code, message };
}
