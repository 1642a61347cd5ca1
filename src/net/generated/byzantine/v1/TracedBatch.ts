// Original file: proto/byzantine.proto

import type {
  Order as _byzantine_v1_Order,
  Order__Output as _byzantine_v1_Order__Output,
} from '../../byzantine/v1/Order.js';
import type {
  SignedChain as _byzantine_v1_SignedChain,
  SignedChain__Output as _byzantine_v1_SignedChain__Output,
} from '../../byzantine/v1/SignedChain.js';

/**
 * One batch as its receiver recorded it.
 */
export interface TracedBatch {
  round?: number;
  sender?: number;
  /**
   * packed, canonical path order
   */
  values?: _byzantine_v1_Order[];
  /**
   * the rejection code, empty when accepted
   */
  rejected?: string;
  /**
   * SM: who signed each value (signatures left out)
   */
  chains?: _byzantine_v1_SignedChain[];
  /**
   * SM: true where that value's chain did not verify
   */
  invalid?: boolean[];
}

/**
 * One batch as its receiver recorded it.
 */
export interface TracedBatch__Output {
  round: number;
  sender: number;
  /**
   * packed, canonical path order
   */
  values: _byzantine_v1_Order__Output[];
  /**
   * the rejection code, empty when accepted
   */
  rejected: string;
  /**
   * SM: who signed each value (signatures left out)
   */
  chains: _byzantine_v1_SignedChain__Output[];
  /**
   * SM: true where that value's chain did not verify
   */
  invalid: boolean[];
}
