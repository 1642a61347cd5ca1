import { join } from 'node:path';

/**
 * The credentials directory, as generate-compose.ts writes it (./keys) and `local` makes it
 * (a temporary directory):
 *
 *   ca/ca-key.pem               the cluster CA's private key (0600, directory 0700): only the
 *                               generator reads it, to issue certificates; never given to a general
 *   public/ca.pem               the cluster CA's certificate: every general and the client trust it
 *   public/certs.pem            every general's certificate and the client's, in one bundle
 *   public/general_<id>.pem     general <id>'s certificate alone, and public/client.pem the client's
 *                               (also in the bundle; for tools such as grpcurl)
 *   private/general_<id>.pem    general <id>'s Ed25519 private key (0600): its TLS key and its SM
 *                               signing key; private/client.pem the client's
 *
 * A general is given exactly one secret, its private key, and the public directory.
 */
export const CA_CERT_FILE = 'ca.pem';
export const CERT_BUNDLE_FILE = 'certs.pem';
export const CLIENT_NAME = 'client';
export const generalName = (id: number): string => `general_${id}`;

export const caKeyPath = (dir: string): string => join(dir, 'ca', 'ca-key.pem');
export const publicDirOf = (dir: string): string => join(dir, 'public');
export const privateKeyPath = (dir: string, name: string): string => join(dir, 'private', `${name}.pem`);
export const certificatePath = (dir: string, name: string): string => join(publicDirOf(dir), `${name}.pem`);

/** The env that hands general `id` its credentials from a credentials directory. */
export function generalCredentialEnv(
  dir: string,
  id: number,
): { PRIVATE_KEY_FILE: string; CERTS_DIR: string } {
  return { PRIVATE_KEY_FILE: privateKeyPath(dir, generalName(id)), CERTS_DIR: publicDirOf(dir) };
}

/** Where the client finds its credentials in a credentials directory. */
export function clientCredentialPaths(dir: string): { keyFile: string; certsDir: string } {
  return { keyFile: privateKeyPath(dir, CLIENT_NAME), certsDir: publicDirOf(dir) };
}
