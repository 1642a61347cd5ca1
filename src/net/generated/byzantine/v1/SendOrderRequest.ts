// Original file: proto/byzantine.proto

import type {
  Order as _byzantine_v1_Order,
  Order__Output as _byzantine_v1_Order__Output,
} from '../../byzantine/v1/Order.js';

export interface SendOrderRequest {
  runId?: string;
  round?: number;
  sender?: number;
  receiver?: number;
  /**
   * packed, canonical path order
   */
  values?: _byzantine_v1_Order[];
}

export interface SendOrderRequest__Output {
  runId: string;
  round: number;
  sender: number;
  receiver: number;
  /**
   * packed, canonical path order
   */
  values: _byzantine_v1_Order__Output[];
}
