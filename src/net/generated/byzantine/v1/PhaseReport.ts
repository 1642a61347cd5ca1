// Original file: proto/byzantine.proto

import type {
  Order as _byzantine_v1_Order,
  Order__Output as _byzantine_v1_Order__Output,
} from '../../byzantine/v1/Order.js';
import type {
  Tally as _byzantine_v1_Tally,
  Tally__Output as _byzantine_v1_Tally__Output,
} from '../../byzantine/v1/Tally.js';

/**
 * King: one general's view of one phase of a run.
 */
export interface PhaseReport {
  /**
   * 1..t+1
   */
  phase?: number;
  /**
   * the king of the phase: general phase-1
   */
  king?: number;
  /**
   * x when the phase began
   */
  start?: _byzantine_v1_Order;
  /**
   * c: the value(v) messages counted, its own included
   */
  values?: _byzantine_v1_Tally | null;
  /**
   * what it proposed; ORDER_UNSPECIFIED: propose(none)
   */
  proposal?: _byzantine_v1_Order;
  /**
   * P: the propose(v) messages counted, its own included
   */
  proposals?: _byzantine_v1_Tally | null;
  /**
   * the king's value as it arrived; ORDER_UNSPECIFIED: none did, or this general is the king
   */
  kingValue?: _byzantine_v1_Order;
  /**
   * P(x) < n-t: x became the king's value (RETREAT when none arrived)
   */
  tookKing?: boolean;
  /**
   * x at the end of the phase
   */
  x?: _byzantine_v1_Order;
}

/**
 * King: one general's view of one phase of a run.
 */
export interface PhaseReport__Output {
  /**
   * 1..t+1
   */
  phase: number;
  /**
   * the king of the phase: general phase-1
   */
  king: number;
  /**
   * x when the phase began
   */
  start: _byzantine_v1_Order__Output;
  /**
   * c: the value(v) messages counted, its own included
   */
  values: _byzantine_v1_Tally__Output | null;
  /**
   * what it proposed; ORDER_UNSPECIFIED: propose(none)
   */
  proposal: _byzantine_v1_Order__Output;
  /**
   * P: the propose(v) messages counted, its own included
   */
  proposals: _byzantine_v1_Tally__Output | null;
  /**
   * the king's value as it arrived; ORDER_UNSPECIFIED: none did, or this general is the king
   */
  kingValue: _byzantine_v1_Order__Output;
  /**
   * P(x) < n-t: x became the king's value (RETREAT when none arrived)
   */
  tookKing: boolean;
  /**
   * x at the end of the phase
   */
  x: _byzantine_v1_Order__Output;
}
