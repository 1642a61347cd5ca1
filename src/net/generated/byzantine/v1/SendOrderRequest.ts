// Original file: proto/byzantine.proto

import type {
  Order as _byzantine_v1_Order,
  Order__Output as _byzantine_v1_Order__Output,
} from '../../byzantine/v1/Order.js';
import type {
  SignedChain as _byzantine_v1_SignedChain,
  SignedChain__Output as _byzantine_v1_SignedChain__Output,
} from '../../byzantine/v1/SignedChain.js';

export interface SendOrderRequest {
  runId?: string;
  round?: number;
  sender?: number;
  receiver?: number;
  /**
   * OM: packed, canonical path order; SM: one per chain
   */
  values?: _byzantine_v1_Order[];
  /**
   * SM only: chains[i] is the proof of values[i]
   */
  chains?: _byzantine_v1_SignedChain[];
  /**
   * Ed25519, by the sender, over the whole batch; empty only under AUTH=off
   */
  signature?: Buffer | Uint8Array | string;
}

export interface SendOrderRequest__Output {
  runId: string;
  round: number;
  sender: number;
  receiver: number;
  /**
   * OM: packed, canonical path order; SM: one per chain
   */
  values: _byzantine_v1_Order__Output[];
  /**
   * SM only: chains[i] is the proof of values[i]
   */
  chains: _byzantine_v1_SignedChain__Output[];
  /**
   * Ed25519, by the sender, over the whole batch; empty only under AUTH=off
   */
  signature: Buffer;
}
