import { generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import type { Signer, Verifier } from '../core/sm/signatures.js';

export interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export function newKeyPair(): KeyPair {
  return generateKeyPairSync('ed25519');
}

/** Ed25519 takes no digest name: node:crypto signs the message itself (pass null). */
export function ed25519Signer(privateKey: KeyObject): Signer {
  return { sign: (message) => sign(null, message, privateKey) };
}

/** Verifies against general id -> public key; an unknown id never verifies. */
export function ed25519Verifier(publicKeys: readonly KeyObject[]): Verifier {
  return {
    verify(general, message, signature) {
      const key = publicKeys[general];
      if (key === undefined || signature.length !== 64) return false;
      return verify(null, message, key, signature);
    },
  };
}
