import type { Order } from './order.js';
import type { Batch } from './run/types.js';

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
 * Every signed message starts with a domain tag naming what it is, so a signature made for one
 * purpose (a batch, a chain link, a control request) can never be passed off as another.
 */
export const SignedDomain = {
  batch: 'byzantine.v1/SendOrder',
  chain: 'byzantine.v1/SignedChain',
  runAlgorithm: 'byzantine.v1/RunAlgorithm',
  resetLog: 'byzantine.v1/ResetLog',
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

  /** A non-negative integer below 2^53, as 8 bytes (timestamps). */
  long(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`cannot sign ${value}: expected a safe non-negative integer`);
    }
    const part = new Uint8Array(8);
    new DataView(part.buffer).setBigUint64(0, BigInt(value));
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

/** What a SendOrder's sender signs: the whole batch, chains included. Authenticates the channel (A2). */
export function batchBytes(batch: Batch): Uint8Array {
  const bytes = new SignedBytes(SignedDomain.batch)
    .text(batch.runId)
    .uint(batch.round)
    .uint(batch.sender)
    .uint(batch.receiver)
    .orders(batch.values);
  const chains = batch.chains ?? [];
  bytes.uint(chains.length);
  for (const chain of chains) {
    bytes.uints(chain.signers);
    bytes.uint(chain.signatures.length);
    for (const signature of chain.signatures) bytes.bytes(signature);
  }
  return bytes.finish();
}

/** Freshness of a control request: when the client made it, and a value it never reuses. */
export interface ControlStamp {
  readonly timestampMs: number;
  readonly nonce: Uint8Array;
}

/** What the client signs to ask general `general` to join a run. */
export interface RunRequestContent {
  readonly general: number;
  readonly runId: string;
  readonly generals: number;
  readonly t: number;
  readonly algorithm: string;
  /** Only in the commander's request. */
  readonly order: Order | undefined;
  readonly roundTimeoutMs: number;
}

export function runRequestBytes(request: RunRequestContent, stamp: ControlStamp): Uint8Array {
  return new SignedBytes(SignedDomain.runAlgorithm)
    .uint(request.general)
    .text(request.runId)
    .uint(request.generals)
    .uint(request.t)
    .text(request.algorithm)
    .orders(request.order === undefined ? [] : [request.order])
    .uint(request.roundTimeoutMs)
    .long(stamp.timestampMs)
    .bytes(stamp.nonce)
    .finish();
}

/** What the client signs to have general `general` truncate its logs. */
export function resetLogBytes(general: number, stamp: ControlStamp): Uint8Array {
  return new SignedBytes(SignedDomain.resetLog)
    .uint(general)
    .long(stamp.timestampMs)
    .bytes(stamp.nonce)
    .finish();
}
