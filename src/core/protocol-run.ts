import type { Batch, GeneralSpec, Rejection, Step } from './general.js';
import type { Order, Tally } from './order.js';
import type { Path } from './paths.js';

/**
 * One general's part in one run, whatever the algorithm: OM(t) (GeneralRun) or SM(t) (SignedRun).
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
  start(): Step;
  receive(batch: Batch): Step | Rejection;
  expire(round: number): Step;
}
