// Original file: proto/byzantine.proto

import type {
  Order as _byzantine_v1_Order,
  Order__Output as _byzantine_v1_Order__Output,
} from '../../byzantine/v1/Order.js';
import type {
  Tally as _byzantine_v1_Tally,
  Tally__Output as _byzantine_v1_Tally__Output,
} from '../../byzantine/v1/Tally.js';
import type {
  RoundReport as _byzantine_v1_RoundReport,
  RoundReport__Output as _byzantine_v1_RoundReport__Output,
} from '../../byzantine/v1/RoundReport.js';
import type {
  Algorithm as _byzantine_v1_Algorithm,
  Algorithm__Output as _byzantine_v1_Algorithm__Output,
} from '../../byzantine/v1/Algorithm.js';
import type {
  PhaseReport as _byzantine_v1_PhaseReport,
  PhaseReport__Output as _byzantine_v1_PhaseReport__Output,
} from '../../byzantine/v1/PhaseReport.js';

export interface GetDecisionResponse {
  id?: number;
  runId?: string;
  decision?: _byzantine_v1_Order;
  /**
   * the values it holds, missing ones counted as RETREAT
   */
  tally?: _byzantine_v1_Tally | null;
  valuesReceived?: number;
  valuesMissing?: number;
  batchesRejected?: number;
  /**
   * SendOrder calls that the receiver accepted
   */
  rpcsSent?: number;
  valuesSent?: number;
  lies?: number;
  elapsedMs?: number | string;
  rounds?: _byzantine_v1_RoundReport[];
  /**
   * SM: values ignored because their chain did not verify
   */
  valuesInvalid?: number;
  algorithm?: _byzantine_v1_Algorithm;
  /**
   * King: the general's view of each phase it finished
   */
  phases?: _byzantine_v1_PhaseReport[];
}

export interface GetDecisionResponse__Output {
  id: number;
  runId: string;
  decision: _byzantine_v1_Order__Output;
  /**
   * the values it holds, missing ones counted as RETREAT
   */
  tally: _byzantine_v1_Tally__Output | null;
  valuesReceived: number;
  valuesMissing: number;
  batchesRejected: number;
  /**
   * SendOrder calls that the receiver accepted
   */
  rpcsSent: number;
  valuesSent: number;
  lies: number;
  elapsedMs: number;
  rounds: _byzantine_v1_RoundReport__Output[];
  /**
   * SM: values ignored because their chain did not verify
   */
  valuesInvalid: number;
  algorithm: _byzantine_v1_Algorithm__Output;
  /**
   * King: the general's view of each phase it finished
   */
  phases: _byzantine_v1_PhaseReport__Output[];
}
