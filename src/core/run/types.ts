import type { Order, Tally } from '../order.js';
import type { Path } from '../paths.js';
import type { Strategy } from '../strategy.js';

/**
 * What every algorithm's run shares with the edges: the batches it sends and receives, what one step
 * of its state machine produces, and the interface the in-memory network and the gRPC driver see.
 */

/** SM: the signers of one value so far, and their signatures, one each. */
export interface ChainProof {
  readonly signers: readonly number[];
  readonly signatures: readonly Uint8Array[];
}

/**
 * One round's values from one sender to one receiver: under OM in canonical path order; under SM
 * one per signed chain, `chains[i]` proving `values[i]`.
 */
export interface Batch {
  readonly runId: string;
  readonly round: number;
  readonly sender: number;
  readonly receiver: number;
  readonly values: readonly Order[];
  readonly chains?: readonly ChainProof[];
}

/** Why a batch was refused; the edge maps each code to a gRPC status. */
export const RejectionCode = {
  wrongReceiver: 'wrong-receiver',
  notAPeer: 'not-a-peer',
  roundOutOfRange: 'round-out-of-range',
  wrongLength: 'wrong-length',
  duplicate: 'duplicate',
  roundClosed: 'round-closed',
  /** Refused at the edge: the batch names a sender other than the general whose certificate sent it. */
  unauthenticated: 'unauthenticated',
  /** SM: chains that do not match the batch's values, or claim an impossible signer list. */
  malformedChain: 'malformed-chain',
} as const;
export type RejectionCode = (typeof RejectionCode)[keyof typeof RejectionCode];

export interface Rejection {
  readonly code: RejectionCode;
  readonly message: string;
}

/** A traitor's departure from what a loyal general would have sent. */
export interface Lie {
  readonly round: number;
  readonly receiver: number;
  readonly path: Path;
  readonly before: Order;
  /** `undefined`: withheld (silent). */
  readonly after: Order | undefined;
}

export interface RoundOutcome {
  readonly round: number;
  readonly batchesExpected: number;
  readonly batchesReceived: number;
  readonly timedOut: boolean;
  /** Senders whose batch had not arrived when the round closed. */
  readonly missing: readonly number[];
}

/** What one step of the state machine produced, for the edge to deliver and log. */
export interface Step {
  readonly outbox: Batch[];
  readonly lies: Lie[];
  readonly completed: RoundOutcome[];
  /** Storage indices (in batch order) of an accepted batch's values; see OmRun.pathAt. */
  readonly stored?: Int32Array;
  /** SM: positions in the accepted batch of values ignored because their chain did not verify. */
  readonly invalid?: readonly number[];
  /** King: what the general concluded as each of its rounds closed in this step, for the logs. */
  concluded?: KingConclusion[];
}

/** The kinds of round of a King run: round 0, then three per phase. */
export const KingRoundKind = { order: 'order', value: 'value', propose: 'propose', king: 'king' } as const;
export type KingRoundKind = (typeof KingRoundKind)[keyof typeof KingRoundKind];

/**
 * King: what a general concluded when one of its rounds closed. `x` is its value afterwards. In a
 * value round `counts` is c (the value(v) it received, its own included) and `proposal` what it
 * proposes next (null: propose(none)); in a propose round `counts` is P; in the king's round `heard`
 * is the king's value as received (null: nothing arrived, or this general is the king), `support`
 * its P(x) and `kept` whether it kept its own x (P(x) >= n-t, or it is the king).
 */
export type KingConclusion =
  | {
      readonly kind: 'order';
      readonly round: 0;
      readonly phase: 0;
      readonly heard: Order | null;
      readonly x: Order;
    }
  | {
      readonly kind: 'value';
      readonly round: number;
      readonly phase: number;
      readonly king: number;
      readonly counts: Tally;
      readonly proposal: Order | null;
      readonly x: Order;
    }
  | {
      readonly kind: 'propose';
      readonly round: number;
      readonly phase: number;
      readonly king: number;
      readonly counts: Tally;
      readonly x: Order;
    }
  | {
      readonly kind: 'king';
      readonly round: number;
      readonly phase: number;
      readonly king: number;
      readonly heard: Order | null;
      /** P(x) for its x before the king's round: n-t or more keeps it. */
      readonly support: number;
      readonly kept: boolean;
      readonly x: Order;
    };

/** King: one general's view of one phase, once the phase is over. */
export interface PhaseRecord {
  /** 1..t+1. */
  readonly phase: number;
  /** The king of the phase: general phase-1. */
  readonly king: number;
  /** x when the phase began. */
  readonly start: Order;
  /** c: the value(v) messages it counted in the phase's first round, its own included. */
  readonly values: Tally;
  /** What it proposed in the second round: a value with c >= n-t, or null for propose(none). */
  readonly proposal: Order | null;
  /** P: the propose(v) messages it counted, its own included. */
  readonly proposals: Tally;
  /** The king's value as it arrived; null when nothing arrived or when this general is the king. */
  readonly kingValue: Order | null;
  /** Whether P(x) < n-t made it take the king's value (RETREAT when nothing arrived). */
  readonly tookKing: boolean;
  /** x at the end of the phase. */
  readonly x: Order;
}

export interface GeneralSpec {
  readonly runId: string;
  readonly id: number;
  readonly n: number;
  readonly t: number;
  readonly strategy: Strategy;
  /** Only the commander has an order to issue. */
  readonly order?: Order;
}

/**
 * One general's part in one run, whatever the algorithm: OM(t) (OmRun), SM(t) (SmRun) or King
 * (KingRun). The in-memory network and the gRPC driver see only this.
 */
export interface ProtocolRun {
  readonly spec: GeneralSpec;
  readonly isCommander: boolean;
  /**
   * What the general decided; undefined until it has. The commander's is its order from the start
   * (under King it still takes part in every phase: see `finished`).
   */
  readonly decision: Order | undefined;
  /** True once the general has nothing left to do in the run: no round to wait on, nothing to send. */
  readonly finished: boolean;
  /** The round this general is waiting on; lastRound+1 once finished. */
  readonly round: number;
  /** The run's last round: t under OM and SM, 3(t+1) under King. */
  readonly lastRound: number;
  /** The most values any batch of this run may hold; the edge refuses bigger ones before the core. */
  readonly largestBatch: number;
  readonly lies: number;
  readonly sentValues: number;
  /** Values accepted so far (under SM: values whose chain verified). */
  readonly receivedValues: number;
  /** Values a lieutenant receives in a full run: exact under OM; under SM not known in advance (0). */
  readonly expectedValues: number;
  tally(): Tally;
  /** The path (OM) or signer chain (SM) behind a storage index reported in a Step. */
  pathAt(index: number): Path;
  /** King: this general's view of each phase it has finished (empty under OM and SM). */
  phases(): readonly PhaseRecord[];
  /**
   * The path (OM) or signer chain (SM) under which the receiver of `batch`, one this general sent,
   * holds each of its values, in batch order: so that a log can show what was forwarded as the
   * receiver's log shows what arrived. Optional: without it a log shows how many values went.
   */
  receiverPaths?(batch: Batch): readonly Path[];
  start(): Step;
  receive(batch: Batch): Step | Rejection;
  expire(round: number): Step;
}

export function isRejection(result: Step | Rejection): result is Rejection {
  return 'code' in result;
}
