// Original file: proto/byzantine.proto

import type {
  SignedChain as _byzantine_v1_SignedChain,
  SignedChain__Output as _byzantine_v1_SignedChain__Output,
} from '../../byzantine/v1/SignedChain.js';

/**
 * One round's values from one sender to one receiver.
 */
export interface Batch {
  runId?: string;
  round?: number;
  /**
   * must be the caller's identity (its certificate), unless AUTH=off
   */
  sender?: number;
  receiver?: number;
  /**
   * how many values
   */
  count?: number;
  /**
   * value i is bit i%8 (least significant first) of byte i/8: 1 ATTACK, 0 RETREAT
   */
  values?: Buffer | Uint8Array | string;
  /**
   * SM only: chains[i] is the proof of value i
   */
  chains?: _byzantine_v1_SignedChain[];
}

/**
 * One round's values from one sender to one receiver.
 */
export interface Batch__Output {
  runId: string;
  round: number;
  /**
   * must be the caller's identity (its certificate), unless AUTH=off
   */
  sender: number;
  receiver: number;
  /**
   * how many values
   */
  count: number;
  /**
   * value i is bit i%8 (least significant first) of byte i/8: 1 ATTACK, 0 RETREAT
   */
  values: Buffer;
  /**
   * SM only: chains[i] is the proof of value i
   */
  chains: _byzantine_v1_SignedChain__Output[];
}
