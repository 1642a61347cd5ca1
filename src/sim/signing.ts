import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ed25519Signer, ed25519Verifier, newKeyPair } from '../auth/ed25519.js';
import type { Signer, Verifier } from '../core/sm/signatures.js';

/**
 * Keys for an in-process run, made fresh for it and forgotten after.
 *
 * - `ed25519`: real Ed25519 key pairs (what `simulate` uses, the same scheme as the generals).
 * - `keyed-hash`: HMAC-SHA256 under a random secret per general, about 20x cheaper to check. In one
 *   process it is just as unforgeable for the protocol: each general's run is handed only its own
 *   Signer, so a traitor has no way to sign as another. Exhaustive sweeps use it.
 */
export const SigningScheme = { ed25519: 'ed25519', keyedHash: 'keyed-hash' } as const;
export type SigningScheme = (typeof SigningScheme)[keyof typeof SigningScheme];

export interface EphemeralSigning {
  /** signers[id]: general id's own key, to be given to that general only. */
  readonly signers: readonly Signer[];
  /** Verifies any general's signature. */
  readonly verifier: Verifier;
}

export function ephemeralSigning(n: number, scheme: SigningScheme): EphemeralSigning {
  if (scheme === SigningScheme.ed25519) {
    const pairs = Array.from({ length: n }, () => newKeyPair());
    return {
      signers: pairs.map((p) => ed25519Signer(p.privateKey)),
      verifier: ed25519Verifier(pairs.map((p) => p.publicKey)),
    };
  }
  const secrets = Array.from({ length: n }, () => randomBytes(32));
  const mac = (secret: Buffer, message: Uint8Array) => createHmac('sha256', secret).update(message).digest();
  return {
    signers: secrets.map((secret) => ({ sign: (message) => mac(secret, message) })),
    verifier: {
      verify(general, message, signature) {
        const secret = secrets[general];
        if (secret === undefined || signature.length !== 32) return false;
        return timingSafeEqual(mac(secret, message), signature);
      },
    },
  };
}
