// Original file: proto/byzantine.proto

import type {
  Order as _byzantine_v1_Order,
  Order__Output as _byzantine_v1_Order__Output,
} from '../../byzantine/v1/Order.js';

/**
 * A value a traitor sent differently from what a loyal general would have.
 */
export interface TracedLie {
  round?: number;
  receiver?: number;
  /**
   * the EIG path the value was about, as the sender held it
   */
  path?: number[];
  /**
   * what a loyal general would have sent
   */
  before?: _byzantine_v1_Order;
  /**
   * what was sent; ORDER_UNSPECIFIED when it was withheld
   */
  after?: _byzantine_v1_Order;
}

/**
 * A value a traitor sent differently from what a loyal general would have.
 */
export interface TracedLie__Output {
  round: number;
  receiver: number;
  /**
   * the EIG path the value was about, as the sender held it
   */
  path: number[];
  /**
   * what a loyal general would have sent
   */
  before: _byzantine_v1_Order__Output;
  /**
   * what was sent; ORDER_UNSPECIFIED when it was withheld
   */
  after: _byzantine_v1_Order__Output;
}
