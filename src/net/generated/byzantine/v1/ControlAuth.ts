// Original file: proto/byzantine.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A control request's proof that it comes from the client, now, and only once.
 */
export interface ControlAuth {
  /**
   * the client's clock, ms since the epoch; refused when too far off
   */
  timestampMs?: number | string | Long;
  /**
   * random, 16 bytes; refused when the general has seen it before
   */
  nonce?: Buffer | Uint8Array | string;
  /**
   * Ed25519, by the client key, over the request, this general's id and both above
   */
  signature?: Buffer | Uint8Array | string;
}

/**
 * A control request's proof that it comes from the client, now, and only once.
 */
export interface ControlAuth__Output {
  /**
   * the client's clock, ms since the epoch; refused when too far off
   */
  timestampMs: string;
  /**
   * random, 16 bytes; refused when the general has seen it before
   */
  nonce: Buffer;
  /**
   * Ed25519, by the client key, over the request, this general's id and both above
   */
  signature: Buffer;
}
