import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { GeneralAuth } from '../config/config.js';
import type { Signer, Verifier } from '../core/signatures.js';
import { type ClientVerifier, ControlGate } from './control.js';
import { ed25519Signer, ed25519Verifier } from './ed25519.js';
import { generalKeyName, KeyFileError, loadPrivateKey, loadPublicKeys, publicKeyPath } from './keys.js';

/** What a general with AUTH on holds: its own signer, every general's key, the client's key. */
export interface GeneralKeys {
  /** Signs this general's outgoing batches. */
  readonly signer: Signer;
  /** Verifies a batch's signature under the claimed sender's public key. */
  readonly peers: Verifier;
  /** Verifies signatures by the client key (control requests). */
  readonly client: ClientVerifier;
}

export function clientVerifier(key: KeyObject): ClientVerifier {
  return {
    verify: (message, signature) => signature.length === 64 && verify(null, message, key, signature),
  };
}

const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });

/**
 * Loads general `id`'s private key and the public keys of all `n` generals and the client, once,
 * at start. Throws KeyFileError for a missing or unreadable file, a key of the wrong kind, or a
 * private key that is not general `id`'s (its public half differs from general_<id>.pem).
 */
export function loadGeneralKeys(
  auth: Extract<GeneralAuth, { mode: 'on' }>,
  id: number,
  n: number,
): GeneralKeys {
  const privateKey = loadPrivateKey(auth.privateKeyFile);
  const publicKeys = loadPublicKeys(auth.publicKeysDir, n);
  const own = publicKeys.generals[id];
  if (own === undefined || !spki(createPublicKey(privateKey)).equals(spki(own))) {
    throw new KeyFileError(
      `${auth.privateKeyFile} is not general ${id}'s key: its public half differs from ${publicKeyPath(auth.publicKeysDir, generalKeyName(id))}`,
    );
  }
  return {
    signer: ed25519Signer(privateKey),
    peers: ed25519Verifier(publicKeys.generals),
    client: clientVerifier(publicKeys.client),
  };
}

/** How a general's server authenticates: not at all (AUTH=off), or with its keys. */
export type ServerAuth =
  | { readonly mode: 'off' }
  | { readonly mode: 'on'; readonly keys: GeneralKeys; readonly control: ControlGate };

export function serverAuth(keys: GeneralKeys | undefined, now?: () => number): ServerAuth {
  if (keys === undefined) return { mode: 'off' };
  return { mode: 'on', keys, control: new ControlGate({ client: keys.client, ...(now ? { now } : {}) }) };
}
