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
 * One general's part in one run, whatever the algorithm: OM(t) (OmRun) or SM(t) (SmRun).
 * The in-memory network and the gRPC driver see only this.
 */
export interface ProtocolRun {
  readonly spec: GeneralSpec;
  readonly isCommander: boolean;
  readonly decision: Order | undefined;
  /** The round this general is waiting on; t+1 once it has decided. */
  readonly round: number;
  readonly lies: number;
  readonly sentValues: number;
  /** Values accepted so far (under SM: values whose chain verified). */
  readonly receivedValues: number;
  /** Values a lieutenant receives in a full run: exact under OM; under SM not known in advance (0). */
  readonly expectedValues: number;
  tally(): Tally;
  /** The path (OM) or signer chain (SM) behind a storage index reported in a Step. */
  pathAt(index: number): Path;
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
