/**
 * Credentials for tests that start generals themselves or speak to them as someone else: a
 * credentials directory laid out as generate-compose.ts writes it, the env that hands a general its
 * own, and transport security as the client, as any general, or as a stranger with its own CA.
 */
import { ensureClusterCredentials } from '../../src/auth/cluster-ca.js';
import { loadCredentials } from '../../src/auth/credentials.js';
import { CLIENT_IDENTITY, generalIdentity } from '../../src/auth/identity.js';
import {
  CLIENT_NAME,
  clientCredentialPaths,
  generalCredentialEnv,
  generalName,
  privateKeyPath,
  publicDirOf,
} from '../../src/auth/layout.js';
import type { TransportSecurity } from '../../src/net/transport-security.js';
import { tempDir } from './process.js';

/** General `id`'s private key file and the cluster's certificates, as a general's env. */
export const keyEnv = generalCredentialEnv;

export const clientKeyFile = (keyDir: string) => privateKeyPath(keyDir, CLIENT_NAME);
export const generalKeyFile = (keyDir: string, id: number) => privateKeyPath(keyDir, generalName(id));
export const certsDirOf = publicDirOf;

/** A fresh credentials directory for `n` generals and the client, and a function that removes it. */
export async function testKeys(n: number): Promise<{ path: string; remove: () => void }> {
  const dir = tempDir('keys');
  await ensureClusterCredentials(dir.path, n, { validDays: 1, namesOf: () => ['127.0.0.1'] });
  return dir;
}

/** Mutual TLS as the client, with the credentials in `keyDir`. */
export function asClient(keyDir: string, n: number): TransportSecurity {
  return { mode: 'tls', credentials: loadCredentials(clientCredentialPaths(keyDir), CLIENT_IDENTITY, n) };
}

/** Mutual TLS as general `id`, with its credentials in `keyDir`. */
export function asGeneral(keyDir: string, id: number, n: number): TransportSecurity {
  const files = { keyFile: generalKeyFile(keyDir, id), certsDir: publicDirOf(keyDir) };
  return { mode: 'tls', credentials: loadCredentials(files, generalIdentity(id), n) };
}
