/** A round closed by every lieutenant still followed: one line of progress. */
export interface RoundLine {
  readonly round: number;
  /** Rounds in the run: t+1. */
  readonly rounds: number;
  readonly batchesIn: number;
  readonly batchesExpected: number;
  /** Lieutenants whose deadline passed before every batch of the round was in. */
  readonly timedOut: number;
  /** Lieutenants that reported the round. */
  readonly generals: number;
  readonly elapsedMs: number;
}

export interface ClosedRoundReport {
  readonly round: number;
  readonly batchesExpected: number;
  readonly batchesReceived: number;
  readonly timedOut: boolean;
}

interface RoundSum {
  readonly reporters: Set<number>;
  batchesIn: number;
  batchesExpected: number;
  timedOut: number;
}

/**
 * Joins the lieutenants' round reports into rounds of the run: round r is complete once every
 * lieutenant still followed has closed it. A lieutenant whose stream ended (decided, crashed,
 * unreachable) stops being waited for. Pure: time comes from `now`.
 */
export class RoundTracker {
  private readonly sums: RoundSum[] = [];
  private readonly followed: Set<number>;
  private next = 0;
  private readonly startedAt: number;

  constructor(
    /** The run's last round (rounds are 0..t): t under OM and SM, 3(t+1) under King. */
    readonly t: number,
    lieutenants: readonly number[],
    private readonly now: () => number,
  ) {
    this.followed = new Set(lieutenants);
    this.startedAt = now();
    for (let r = 0; r <= t; r++) {
      this.sums.push({ reporters: new Set(), batchesIn: 0, batchesExpected: 0, timedOut: 0 });
    }
  }

  /** A lieutenant closed a round; returns the rounds this completes, in order. */
  report(id: number, closed: ClosedRoundReport): RoundLine[] {
    const sum = this.sums[closed.round];
    if (sum === undefined || sum.reporters.has(id) || !this.followed.has(id)) return [];
    sum.reporters.add(id);
    sum.batchesIn += closed.batchesReceived;
    sum.batchesExpected += closed.batchesExpected;
    if (closed.timedOut) sum.timedOut++;
    return this.completed();
  }

  /** A lieutenant's stream ended: rounds it had not closed no longer wait for it. */
  gone(id: number): RoundLine[] {
    this.followed.delete(id);
    return this.completed();
  }

  get done(): boolean {
    return this.next > this.t;
  }

  private completed(): RoundLine[] {
    const lines: RoundLine[] = [];
    for (;;) {
      const sum = this.sums[this.next];
      if (sum === undefined) break;
      const waiting = [...this.followed].some((id) => !sum.reporters.has(id));
      if (waiting || sum.reporters.size === 0) break;
      lines.push({
        round: this.next,
        rounds: this.t + 1,
        batchesIn: sum.batchesIn,
        batchesExpected: sum.batchesExpected,
        timedOut: sum.timedOut,
        generals: sum.reporters.size,
        elapsedMs: this.now() - this.startedAt,
      });
      this.next++;
    }
    return lines;
  }
}

export function formatRoundLine(line: RoundLine): string {
  const late = line.timedOut > 0 ? `, deadline passed at ${line.timedOut} general(s)` : '';
  return `round ${line.round + 1} of ${line.rounds} (round ${line.round}) closed: ${line.batchesIn}/${line.batchesExpected} batches in${late}, ${(line.elapsedMs / 1000).toFixed(2)} s`;
}
