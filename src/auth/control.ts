import { randomBytes } from 'node:crypto';
import {
  type ControlStamp,
  type RunRequestContent,
  resetLogBytes,
  runRequestBytes,
  type Signer,
} from '../core/signatures.js';
import { ed25519Signer } from './ed25519.js';
import { loadPrivateKey } from './keys.js';

/**
 * Control requests (RunAlgorithm, ResetLog) are signed by the client's key, over the request, the
 * target general's id, a timestamp and a random nonce (see src/core/signatures.ts). A general
 * accepts one only when the signature verifies under the client's public key, the timestamp is
 * within CONTROL_WINDOW_MS of its own clock (either way), and it has not seen the nonce before.
 * A nonce is remembered for as long as its timestamp is inside the window: past that, a replay is
 * refused as stale anyway, so the cache never needs to hold more than one window of requests.
 */
export const CONTROL_WINDOW_MS = 2 * 60 * 1000;
/** Random bytes per nonce: 16, so two requests never share one by chance. */
export const NONCE_BYTES = 16;
/** At most this many nonces are held; past it (only signed requests enter) requests are refused. */
export const MAX_REMEMBERED_NONCES = 100_000;

/** A ControlAuth as it travels: the timestamp as a decimal string (proto-loader's longs=String). */
export interface WireControlAuth {
  readonly timestampMs: string;
  readonly nonce: Uint8Array;
  readonly signature: Uint8Array;
}

/** A ControlAuth as a general receives it (proto3: absent is null; fields may be defaults). */
export interface ReceivedControlAuth {
  readonly timestampMs?: unknown;
  readonly nonce?: Uint8Array;
  readonly signature?: Uint8Array;
}

/** The client's side: stamps each request with the time and a fresh nonce, and signs it. */
export class ControlSigner {
  constructor(
    private readonly signer: Signer,
    private readonly now: () => number = Date.now,
    private readonly nonce: () => Uint8Array = () => randomBytes(NONCE_BYTES),
  ) {}

  /** Signs with the Ed25519 private key in `file` (throws KeyFileError when it cannot be read). */
  static fromKeyFile(file: string, now?: () => number): ControlSigner {
    return new ControlSigner(ed25519Signer(loadPrivateKey(file)), now);
  }

  runAlgorithm(request: RunRequestContent): WireControlAuth {
    return this.stamped((stamp) => runRequestBytes(request, stamp));
  }

  resetLog(general: number): WireControlAuth {
    return this.stamped((stamp) => resetLogBytes(general, stamp));
  }

  private stamped(bytesOf: (stamp: ControlStamp) => Uint8Array): WireControlAuth {
    const stamp = { timestampMs: Math.floor(this.now()), nonce: this.nonce() };
    return {
      timestampMs: String(stamp.timestampMs),
      nonce: stamp.nonce,
      signature: this.signer.sign(bytesOf(stamp)),
    };
  }
}

/** Why a control request was refused; `message` is what the gRPC details and the log say. */
export type ControlRefusalReason =
  | 'missing-auth'
  | 'malformed-auth'
  | 'stale'
  | 'bad-signature'
  | 'replayed'
  | 'too-many-requests';

export interface ControlRefusal {
  readonly reason: ControlRefusalReason;
  readonly message: string;
}

/** Checks a signature by the client's key (the client has no general id). */
export interface ClientVerifier {
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

export interface ControlGateOptions {
  readonly client: ClientVerifier;
  /** The general's clock, ms since the epoch. */
  readonly now?: () => number;
  readonly windowMs?: number;
  readonly maxNonces?: number;
}

const NOT_SIGNED: ControlRefusal = {
  reason: 'missing-auth',
  message:
    'not signed: this general runs with authentication on and accepts only requests signed by the client key',
};

const hex = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

function timestampOf(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
  if (!/^\d{1,16}$/.test(text)) return undefined;
  const ms = Number(text);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/**
 * A general's side: admits a control request or says why not. Pure but for the clock it is given
 * and the nonces it remembers.
 */
export class ControlGate {
  private readonly client: ClientVerifier;
  private readonly now: () => number;
  readonly windowMs: number;
  private readonly maxNonces: number;
  /** nonce (hex) -> the timestamp it came with; forgotten once that is outside the window. */
  private readonly seen = new Map<string, number>();

  constructor(options: ControlGateOptions) {
    this.client = options.client;
    this.now = options.now ?? Date.now;
    this.windowMs = options.windowMs ?? CONTROL_WINDOW_MS;
    this.maxNonces = options.maxNonces ?? MAX_REMEMBERED_NONCES;
  }

  /** Nonces remembered now (for tests: the cache stays bounded). */
  get remembered(): number {
    return this.seen.size;
  }

  /**
   * Undefined when `auth` admits the request whose signed bytes `bytesOf` gives; else the refusal.
   * The nonce is remembered only once the signature verifies, so nobody without the client key
   * can fill the cache or burn a nonce the client is about to use.
   */
  check(
    auth: ReceivedControlAuth | null | undefined,
    bytesOf: (stamp: ControlStamp) => Uint8Array,
  ): ControlRefusal | undefined {
    if (auth === null || auth === undefined) return NOT_SIGNED;
    const timestampMs = timestampOf(auth.timestampMs);
    const nonce = auth.nonce ?? new Uint8Array(0);
    const signature = auth.signature ?? new Uint8Array(0);
    if (timestampMs === undefined || timestampMs === 0 || nonce.length < NONCE_BYTES) {
      if (signature.length === 0 && nonce.length === 0) return NOT_SIGNED;
      return {
        reason: 'malformed-auth',
        message: `malformed auth: expected a timestamp in ms since the epoch and a nonce of at least ${NONCE_BYTES} bytes`,
      };
    }
    const now = this.now();
    const skew = timestampMs - now;
    if (Math.abs(skew) > this.windowMs) {
      const seconds = Math.ceil(Math.abs(skew) / 1000);
      return {
        reason: 'stale',
        message: `timestamp is ${seconds} s ${skew < 0 ? 'behind' : 'ahead of'} this general's clock; requests are accepted within ${this.windowMs / 1000} s (replayed, or the clocks differ)`,
      };
    }
    if (!this.client.verify(bytesOf({ timestampMs, nonce }), signature)) {
      return { reason: 'bad-signature', message: 'signature does not verify under the client public key' };
    }
    this.forget(now);
    const key = hex(nonce);
    if (this.seen.has(key)) {
      return { reason: 'replayed', message: 'replayed: this nonce was already used' };
    }
    if (this.seen.size >= this.maxNonces) {
      return {
        reason: 'too-many-requests',
        message: `more than ${this.maxNonces} control requests within ${this.windowMs / 1000} s; try again later`,
      };
    }
    this.seen.set(key, timestampMs);
    return undefined;
  }

  /** Drops nonces whose timestamp has left the window: a replay of them is refused as stale. */
  private forget(now: number): void {
    for (const [key, timestampMs] of this.seen) {
      if (timestampMs < now - this.windowMs) this.seen.delete(key);
    }
  }
}
