import { createPublicKey, type KeyObject, type X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import type { Signer, Verifier } from '../core/sm/signatures.js';
import { ed25519Signer, ed25519Verifier } from './ed25519.js';
import { describeIdentity, type Identity, identityOf } from './identity.js';
import { KeyFileError, loadCertificates, loadPrivateKey, readKeyFile } from './key-files.js';
import { CA_CERT_FILE, CERT_BUNDLE_FILE } from './layout.js';

/** Where a general or the client finds its credentials: its private key and the public directory. */
export interface CredentialFiles {
  readonly keyFile: string;
  readonly certsDir: string;
}

/**
 * What a member of the cluster holds once its credentials are loaded: what TLS needs (the CA, its
 * own key and certificate), and for SM its signer and every general's public key, taken from the
 * certificates the CA signed.
 */
export interface Credentials {
  readonly identity: Identity;
  readonly caPem: Buffer;
  readonly keyPem: Buffer;
  readonly certPem: Buffer;
  /** Signs SM chain links with this member's key (a general's only). */
  readonly signer: Signer;
  /** Verifies any general's signature with the public key in its certificate. */
  readonly generals: Verifier;
}

const keyDer = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });

/**
 * Loads and checks `identity`'s credentials once, at start: the CA certificate, the bundle of
 * certificates (each must be signed by that CA and name exactly one identity, none twice), this
 * member's own certificate (whose key must be the private key's public half), and, for a general,
 * a certificate for each of the `generals` generals. Throws KeyFileError saying what is wrong.
 */
export function loadCredentials(files: CredentialFiles, identity: Identity, generals: number): Credentials {
  const caPath = join(files.certsDir, CA_CERT_FILE);
  const bundlePath = join(files.certsDir, CERT_BUNDLE_FILE);
  const caPem = readKeyFile(caPath, 'the cluster CA certificate');
  const [ca] = loadCertificates(caPath, 'the cluster CA certificate');
  if (ca === undefined || !ca.ca) throw new KeyFileError(`${caPath} is not a CA certificate`);
  const byIdentity = new Map<string, X509Certificate>();
  for (const cert of loadCertificates(bundlePath, "every general's and the client's certificate")) {
    const who = identityOf(cert.subjectAltName);
    if (who === undefined) {
      throw new KeyFileError(`${bundlePath}: certificate "${cert.subject}" names no cluster identity`);
    }
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) {
      throw new KeyFileError(
        `${bundlePath}: the certificate of ${describeIdentity(who)} is not signed by the CA in ${caPath}`,
      );
    }
    const key = who.kind === 'client' ? 'client' : String(who.id);
    if (byIdentity.has(key))
      throw new KeyFileError(`${bundlePath}: two certificates for ${describeIdentity(who)}`);
    byIdentity.set(key, cert);
  }
  const own = byIdentity.get(identity.kind === 'client' ? 'client' : String(identity.id));
  if (own === undefined) {
    throw new KeyFileError(`${bundlePath} has no certificate for ${describeIdentity(identity)}`);
  }
  const privateKey = loadPrivateKey(files.keyFile);
  if (!keyDer(createPublicKey(privateKey)).equals(keyDer(own.publicKey))) {
    throw new KeyFileError(
      `${files.keyFile} is not ${describeIdentity(identity)}'s key: its public half differs from the one in ${describeIdentity(identity)}'s certificate in ${bundlePath}`,
    );
  }
  const publicKeys: KeyObject[] = [];
  for (let id = 0; id < generals; id++) {
    const cert = byIdentity.get(String(id));
    if (cert === undefined) {
      throw new KeyFileError(`${bundlePath} has no certificate for general ${id} (PEERS lists ${generals})`);
    }
    publicKeys.push(cert.publicKey);
  }
  return {
    identity,
    caPem,
    keyPem: Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string),
    certPem: Buffer.from(own.toString()),
    signer: ed25519Signer(privateKey),
    generals: ed25519Verifier(publicKeys),
  };
}
