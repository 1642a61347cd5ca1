import type { Order } from '../order.js';

/**
 * Signing as the core sees it: bytes in, bytes out. The core decides what is signed (below); the
 * edge supplies the keys (Ed25519 through node:crypto, see src/auth). Keeping the scheme behind
 * these two interfaces keeps the core free of key files and of node:crypto.
 */
export interface Signer {
  sign(message: Uint8Array): Uint8Array;
}

export interface Verifier {
  /** True when `signature` is `general`'s signature over `message`; false for an unknown general. */
  verify(general: number, message: Uint8Array, signature: Uint8Array): boolean;
}

/**
 * Every signed message starts with a domain tag naming what it is: SM's chain links are the only
 * signatures today (TLS authenticates the channels), and the tag keeps a signature made for one
 * purpose from ever passing for another.
 */
export const SignedDomain = {
  chain: 'byzantine.v1/SignedChain',
} as const;
export type SignedDomain = (typeof SignedDomain)[keyof typeof SignedDomain];

const encoder = new TextEncoder();

/** A length-prefixed, big-endian encoding: unambiguous, so two different inputs never sign alike. */
export class SignedBytes {
  private readonly parts: Uint8Array[] = [];
  private length = 0;

  constructor(domain: SignedDomain) {
    this.text(domain);
  }

  uint(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new RangeError(`cannot sign ${value}: expected an integer 0..2^32-1`);
    }
    const part = new Uint8Array(4);
    new DataView(part.buffer).setUint32(0, value);
    return this.push(part);
  }

  text(value: string): this {
    return this.bytes(encoder.encode(value));
  }

  bytes(value: Uint8Array): this {
    this.uint(value.length);
    return this.push(value);
  }

  /** Values as one byte each (1 ATTACK, 2 RETREAT), after their count. */
  orders(values: readonly Order[]): this {
    const part = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) part[i] = values[i] === 'ATTACK' ? 1 : 2;
    return this.bytes(part);
  }

  uints(values: readonly number[]): this {
    this.uint(values.length);
    for (const value of values) this.uint(value);
    return this;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  private push(part: Uint8Array): this {
    this.parts.push(part);
    this.length += part.length;
    return this;
  }
}

/**
 * What the `position`-th signer of a chain signs: the run, the value, the signers up to and
 * including itself, and the signature before its own. Each link thus covers the whole chain
 * before it, as the paper's v:0:j1:...:jk has each lieutenant sign what it received.
 */
export function chainLinkBytes(
  runId: string,
  value: Order,
  signers: readonly number[],
  position: number,
  previous: Uint8Array | undefined,
): Uint8Array {
  return new SignedBytes(SignedDomain.chain)
    .text(runId)
    .orders([value])
    .uints(signers.slice(0, position + 1))
    .bytes(previous ?? new Uint8Array(0))
    .finish();
}
