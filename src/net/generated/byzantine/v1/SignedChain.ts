// Original file: proto/byzantine.proto

/**
 * SM only: the signatures behind one value, v:0:j1:...:jk in the paper's notation.
 */
export interface SignedChain {
  /**
   * the commander (0), then each lieutenant that relayed it, in order
   */
  signers?: number[];
  /**
   * one per signer, each over the value, the signers so far and the one before
   */
  signatures?: (Buffer | Uint8Array | string)[];
}

/**
 * SM only: the signatures behind one value, v:0:j1:...:jk in the paper's notation.
 */
export interface SignedChain__Output {
  /**
   * the commander (0), then each lieutenant that relayed it, in order
   */
  signers: number[];
  /**
   * one per signer, each over the value, the signers so far and the one before
   */
  signatures: Buffer[];
}
