import type { Algorithm } from '../core/algorithm.js';
import type { Order, Tally } from '../core/order.js';
import type { Path } from '../core/paths.js';
import type { PhaseRecord } from '../core/run/types.js';

/**
 * What one general saw and did in one run, as any source can supply it: the in-memory network,
 * a general's JSON-lines log, or a general's GetTrace answer. The report is built from these alone.
 */

/** A batch as its receiver saw it; values are one letter each (A or R) in canonical path order. */
export interface ReceivedBatch {
  readonly round: number;
  readonly from: number;
  readonly values: string;
  /** Why it was refused (a rejection code), or undefined when accepted. */
  readonly rejected?: string | undefined;
  /** SM: the signers of each value's chain, as `0.2.1`, in value order (absent under OM). */
  readonly chains?: readonly string[] | undefined;
  /** SM: positions of values ignored because their chain did not verify (absent: none). */
  readonly invalid?: readonly number[] | undefined;
}

/**
 * A lie told by this general: what a loyal general would have sent, and what was sent (null: withheld).
 * Under SM the path is the chain's signers before the liar's own link (the commander's lie: (0)).
 */
export interface ToldLie {
  readonly round: number;
  readonly to: number;
  readonly path: Path;
  readonly before: Order;
  readonly after: Order | null;
}

export interface RoundTiming {
  readonly round: number;
  readonly batchesExpected: number;
  readonly batchesReceived: number;
  readonly timedOut: boolean;
  readonly elapsedMs: number;
}

export interface GeneralTrace {
  readonly id: number;
  /** As formatStrategy prints it: loyal, equivocate, flip, silent, random:SEED. */
  readonly strategy: string;
  readonly received: readonly ReceivedBatch[];
  readonly lies: readonly ToldLie[];
  readonly rounds: readonly RoundTiming[];
  /** What the general reported; absent when it never decided (or its log ends early). */
  readonly decision?: Order | undefined;
  readonly tally?: Tally | undefined;
  /** King: its view of each phase it finished, as it reported it (absent under OM and SM). */
  readonly phases?: readonly PhaseRecord[] | undefined;
}

/** Where the trace came from, shown in the report. */
export const TraceSource = {
  simulation: 'in-memory simulation',
  logs: "generals' JSON-lines logs",
  cluster: "generals' answers to GetTrace (gRPC)",
} as const;
export type TraceSource = (typeof TraceSource)[keyof typeof TraceSource];

export interface RunTrace {
  readonly runId: string;
  /** OM(t) (EIG trees), SM(t) (signed chains) or King (phases): decides how the report reads the batches. */
  readonly algorithm: Algorithm;
  readonly n: number;
  readonly t: number;
  readonly order: Order;
  readonly source: TraceSource;
  /** One per general that answered, by id; a missing id had no trace (unreachable, no log). */
  readonly generals: ReadonlyMap<number, GeneralTrace>;
  /** Why a general has no trace, by id. */
  readonly missing: ReadonlyMap<number, string>;
  readonly startedAt?: string | undefined;
  readonly elapsedMs?: number | undefined;
}
