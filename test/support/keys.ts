/**
 * Keys for tests that start generals themselves: a key directory laid out as generate-compose.ts
 * writes it, the env that gives a general its keys, and signing as the client or as any general.
 */
import { ControlSigner } from '../../src/auth/control.js';
import { ed25519Signer } from '../../src/auth/ed25519.js';
import {
  CLIENT_KEY_NAME,
  ensureKeyDir,
  generalKeyEnv,
  generalKeyName,
  loadPrivateKey,
  privateKeyPath,
} from '../../src/auth/keys.js';
import type { Order } from '../../src/core/order.js';
import { batchBytes, type Signer } from '../../src/core/signatures.js';
import type { SendOrderRequest } from '../../src/net/generated/byzantine/v1/SendOrderRequest.js';
import { toOrder } from '../../src/net/proto.js';
import { tempDir } from './process.js';

/** General `id`'s private key file and the public keys directory, as a general's env. */
export const keyEnv = generalKeyEnv;

export const clientKeyFile = (keyDir: string) => privateKeyPath(keyDir, CLIENT_KEY_NAME);
export const generalKeyFile = (keyDir: string, id: number) => privateKeyPath(keyDir, generalKeyName(id));

/** Signs as general `id` with its key from `keyDir`. */
export function generalSigner(keyDir: string, id: number): Signer {
  return ed25519Signer(loadPrivateKey(generalKeyFile(keyDir, id)));
}

/** Signs control requests with the client key from `keyDir` (or another key file, to forge). */
export function controlSigner(keyFile: string, now?: () => number): ControlSigner {
  return ControlSigner.fromKeyFile(keyFile, now);
}

/** A fresh key directory for `n` generals and the client, and a function that removes it. */
export function testKeys(n: number): { path: string; remove: () => void } {
  const dir = tempDir('keys');
  ensureKeyDir(dir.path, n);
  return dir;
}

/** `request` with the signature `signer` makes over it (as its sender would sign it). */
export function signed(request: SendOrderRequest, signer: Signer): SendOrderRequest {
  const values: Order[] = (request.values ?? []).map(toOrder);
  const signature = signer.sign(
    batchBytes({
      runId: request.runId ?? '',
      round: request.round ?? 0,
      sender: request.sender ?? 0,
      receiver: request.receiver ?? 0,
      values,
    }),
  );
  return { ...request, signature };
}
