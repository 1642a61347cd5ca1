// Original file: proto/byzantine.proto

import type {
  Order as _byzantine_v1_Order,
  Order__Output as _byzantine_v1_Order__Output,
} from '../../byzantine/v1/Order.js';
import type {
  TracedBatch as _byzantine_v1_TracedBatch,
  TracedBatch__Output as _byzantine_v1_TracedBatch__Output,
} from '../../byzantine/v1/TracedBatch.js';
import type {
  TracedLie as _byzantine_v1_TracedLie,
  TracedLie__Output as _byzantine_v1_TracedLie__Output,
} from '../../byzantine/v1/TracedLie.js';
import type {
  RoundReport as _byzantine_v1_RoundReport,
  RoundReport__Output as _byzantine_v1_RoundReport__Output,
} from '../../byzantine/v1/RoundReport.js';
import type {
  Tally as _byzantine_v1_Tally,
  Tally__Output as _byzantine_v1_Tally__Output,
} from '../../byzantine/v1/Tally.js';
import type {
  Algorithm as _byzantine_v1_Algorithm,
  Algorithm__Output as _byzantine_v1_Algorithm__Output,
} from '../../byzantine/v1/Algorithm.js';
import type {
  PhaseReport as _byzantine_v1_PhaseReport,
  PhaseReport__Output as _byzantine_v1_PhaseReport__Output,
} from '../../byzantine/v1/PhaseReport.js';

export interface GetTraceResponse {
  id?: number;
  runId?: string;
  generals?: number;
  t?: number;
  /**
   * loyal, equivocate, flip, silent, random:SEED
   */
  strategy?: string;
  /**
   * the commander's order; ORDER_UNSPECIFIED for a lieutenant
   */
  order?: _byzantine_v1_Order;
  received?: _byzantine_v1_TracedBatch[];
  lies?: _byzantine_v1_TracedLie[];
  rounds?: _byzantine_v1_RoundReport[];
  decided?: boolean;
  decision?: _byzantine_v1_Order;
  tally?: _byzantine_v1_Tally | null;
  algorithm?: _byzantine_v1_Algorithm;
  /**
   * King: the general's view of each phase it finished
   */
  phases?: _byzantine_v1_PhaseReport[];
}

export interface GetTraceResponse__Output {
  id: number;
  runId: string;
  generals: number;
  t: number;
  /**
   * loyal, equivocate, flip, silent, random:SEED
   */
  strategy: string;
  /**
   * the commander's order; ORDER_UNSPECIFIED for a lieutenant
   */
  order: _byzantine_v1_Order__Output;
  received: _byzantine_v1_TracedBatch__Output[];
  lies: _byzantine_v1_TracedLie__Output[];
  rounds: _byzantine_v1_RoundReport__Output[];
  decided: boolean;
  decision: _byzantine_v1_Order__Output;
  tally: _byzantine_v1_Tally__Output | null;
  algorithm: _byzantine_v1_Algorithm__Output;
  /**
   * King: the general's view of each phase it finished
   */
  phases: _byzantine_v1_PhaseReport__Output[];
}
