// Original file: proto/byzantine.proto

import type {
  Algorithm as _byzantine_v1_Algorithm,
  Algorithm__Output as _byzantine_v1_Algorithm__Output,
} from '../../byzantine/v1/Algorithm.js';
import type {
  Order as _byzantine_v1_Order,
  Order__Output as _byzantine_v1_Order__Output,
} from '../../byzantine/v1/Order.js';

export interface RunAlgorithmRequest {
  runId?: string;
  /**
   * n: must match the general's PEERS
   */
  generals?: number;
  /**
   * the depth m of OM(m)
   */
  t?: number;
  algorithm?: _byzantine_v1_Algorithm;
  /**
   * only for the commander
   */
  order?: _byzantine_v1_Order;
  /**
   * 0: the general's own ROUND_TIMEOUT_MS; else 1..600000
   */
  roundTimeoutMs?: number;
}

export interface RunAlgorithmRequest__Output {
  runId: string;
  /**
   * n: must match the general's PEERS
   */
  generals: number;
  /**
   * the depth m of OM(m)
   */
  t: number;
  algorithm: _byzantine_v1_Algorithm__Output;
  /**
   * only for the commander
   */
  order: _byzantine_v1_Order__Output;
  /**
   * 0: the general's own ROUND_TIMEOUT_MS; else 1..600000
   */
  roundTimeoutMs: number;
}
