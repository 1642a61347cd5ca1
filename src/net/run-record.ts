import { lettersOf } from '../core/order.js';
import type { Batch, Lie } from '../core/run/types.js';

export interface RecordedBatch {
  readonly round: number;
  readonly sender: number;
  /** One letter per value (A or R), as the event log writes them. */
  readonly values: string;
  /** The rejection code, when the batch was refused. */
  readonly rejected?: string | undefined;
  /** SM: the signers of each value's chain. */
  readonly signers?: ReadonlyArray<readonly number[]>;
  /** SM: positions of values ignored because their chain did not verify. */
  readonly invalid?: readonly number[];
}

export interface ClosedRound {
  readonly round: number;
  readonly batchesExpected: number;
  readonly batchesReceived: number;
  readonly timedOut: boolean;
  readonly elapsedMs: number;
}

/** Hears of each round as it closes, then once when the run is over. */
export interface RunWatcher {
  round(closed: ClosedRound): void;
  finished(): void;
}

/**
 * What a general keeps of one run besides its state machine: the batches it received and the lies
 * it told (for GetTrace), and who is watching its rounds close (for WatchRun). Kept as long as the
 * run is, so a general's memory stays bounded by its number of kept runs.
 */
export class RunRecord {
  readonly received: RecordedBatch[] = [];
  readonly lies: Lie[] = [];
  readonly rounds: ClosedRound[] = [];
  private readonly watchers = new Set<RunWatcher>();
  private over = false;

  batch(batch: Batch, rejected?: string, invalid: readonly number[] = []): void {
    this.received.push({
      round: batch.round,
      sender: batch.sender,
      values: lettersOf(batch.values),
      ...(rejected === undefined ? {} : { rejected }),
      ...(batch.chains === undefined ? {} : { signers: batch.chains.map((c) => [...c.signers]) }),
      ...(invalid.length === 0 ? {} : { invalid }),
    });
  }

  told(lies: readonly Lie[]): void {
    for (const lie of lies) this.lies.push(lie);
  }

  roundClosed(closed: ClosedRound): void {
    this.rounds.push(closed);
    for (const watcher of this.watchers) watcher.round(closed);
  }

  finished(): void {
    if (this.over) return;
    this.over = true;
    for (const watcher of this.watchers) watcher.finished();
    this.watchers.clear();
  }

  /** Replays the rounds closed so far, then follows; returns how to stop following. */
  watch(watcher: RunWatcher): () => void {
    for (const closed of this.rounds) watcher.round(closed);
    if (this.over) {
      watcher.finished();
      return () => {};
    }
    this.watchers.add(watcher);
    return () => {
      this.watchers.delete(watcher);
    };
  }
}
