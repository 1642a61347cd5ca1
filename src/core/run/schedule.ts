/**
 * Who sends to whom in each round of a lock-step run, how many values a batch may hold, and how
 * many rounds there are: what an algorithm hands the shared round machinery (LockStepRun, Rounds)
 * instead of keeping its own copy of it.
 */
export interface Schedule {
  readonly n: number;
  /** Rounds run 0..lastRound. */
  readonly lastRound: number;
  /** Whether `sender` sends `receiver` a batch in `round` (false for any id outside the run). */
  sends(round: number, sender: number, receiver: number): boolean;
  /** The generals that send `receiver` a batch in `round`, ascending. */
  senders(round: number, receiver: number): readonly number[];
  /** The generals `sender` sends a batch to in `round`, ascending. */
  receivers(round: number, sender: number): readonly number[];
  /**
   * The last round general `id` waits on: once past it the general is finished. -1 for a general
   * that only sends in round 0 and then has no part left (OM's and SM's commander).
   */
  lastRoundOf(id: number): number;
  /** The fewest and the most values a batch of `round` may hold. */
  valuesPerBatch(round: number): { readonly least: number; readonly most: number };
  /** Why `sender` may not send `receiver` a batch in `round`: the text of the not-a-peer refusal. */
  notASender(round: number, sender: number, receiver: number): string;
}

/** The most values any batch of the run may hold: the edge refuses bigger batches outright. */
export function largestBatch(schedule: Schedule): number {
  let most = 0;
  for (let round = 0; round <= schedule.lastRound; round++) {
    most = Math.max(most, schedule.valuesPerBatch(round).most);
  }
  return most;
}
