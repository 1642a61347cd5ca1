// @peculiar/x509 resolves its parts through tsyringe, which needs the Reflect metadata API first.
import 'reflect-metadata';
import { createPublicKey, type KeyObject, randomBytes, webcrypto } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { newKeyPair } from './ed25519.js';
import { generalHostName, generalIdentity, type Identity, identityUri } from './identity.js';
import { loadCertificates, loadPrivateKey } from './key-files.js';
import {
  CA_CERT_FILE,
  CERT_BUNDLE_FILE,
  CLIENT_NAME,
  caKeyPath,
  certificatePath,
  generalName,
  privateKeyPath,
  publicDirOf,
} from './layout.js';

/**
 * The cluster's certificate authority: it signs one certificate per general (its id in a URI SAN,
 * general-<id> as a DNS name) and one for the client, over each one's Ed25519 key. Issuing lives
 * here, for generate-compose.ts and `local`; generals only read certificates (credentials.ts).
 */
type CryptoKey = webcrypto.CryptoKey;
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ED25519 = { name: 'Ed25519' } as const;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface IssueOptions {
  /** How long certificates stay valid: years for a generated cluster, a day for `local`. */
  readonly validDays?: number;
  /** Extra names general `id` is reached at (IP addresses become IP SANs), e.g. 127.0.0.1. */
  readonly namesOf?: (id: number) => readonly string[];
  /** The clock; certificates start an hour before it, for machines whose clocks differ a little. */
  readonly now?: () => number;
}

export interface IssuedCredentials {
  /** Key pairs made now; the others were already there and kept. */
  readonly created: readonly string[];
  readonly kept: readonly string[];
  /** True when the CA itself was made now (so every certificate is new). */
  readonly newAuthority: boolean;
}

const pemOf = (key: KeyObject, type: 'pkcs8' | 'spki') => key.export({ type, format: 'pem' }) as string;

function writeSecret(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  chmodSync(dirname(path), 0o700);
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** The private key at `path`, made now when missing; says which in `made`. */
function ensureKey(path: string, name: string, made: string[], kept: string[]): KeyObject {
  if (existsSync(path)) {
    kept.push(name);
    return loadPrivateKey(path);
  }
  const pair = newKeyPair();
  writeSecret(path, pemOf(pair.privateKey, 'pkcs8'));
  made.push(name);
  return pair.privateKey;
}

const toCryptoKey = (key: KeyObject, usage: 'sign' | 'verify'): Promise<CryptoKey> =>
  usage === 'sign'
    ? webcrypto.subtle.importKey('pkcs8', key.export({ type: 'pkcs8', format: 'der' }), ED25519, false, [
        'sign',
      ])
    : webcrypto.subtle.importKey(
        'spki',
        (key.type === 'public' ? key : createPublicKey(key)).export({ type: 'spki', format: 'der' }),
        ED25519,
        true,
        ['verify'],
      );

/** A positive serial number of 16 random bytes (RFC 5280 allows up to 20). */
const serial = () => {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
};

interface Authority {
  readonly certificate: x509.X509Certificate;
  readonly signingKey: CryptoKey;
}

async function authority(dir: string, options: IssueOptions): Promise<{ ca: Authority; fresh: boolean }> {
  const keyPath = caKeyPath(dir);
  const certPath = join(publicDirOf(dir), CA_CERT_FILE);
  if (existsSync(keyPath) && existsSync(certPath)) {
    const key = loadPrivateKey(keyPath);
    const [cert] = loadCertificates(certPath, 'the cluster CA certificate');
    if (cert?.publicKey.equals(createPublicKey(key))) {
      return {
        ca: { certificate: new x509.X509Certificate(cert.raw), signingKey: await toCryptoKey(key, 'sign') },
        fresh: false,
      };
    }
  }
  const key = newKeyPair();
  const now = options.now?.() ?? Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=Byzantine generals cluster CA ${new Date(now).toISOString().slice(0, 10)}`,
    notBefore: new Date(now - HOUR_MS),
    notAfter: new Date(now + (options.validDays ?? 3650) * DAY_MS),
    keys: {
      privateKey: await toCryptoKey(key.privateKey, 'sign'),
      publicKey: await toCryptoKey(key.publicKey, 'verify'),
    },
    signingAlgorithm: ED25519,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  writeSecret(keyPath, pemOf(key.privateKey, 'pkcs8'));
  writeFileSync(certPath, certificate.toString('pem'), { mode: 0o644 });
  return { ca: { certificate, signingKey: await toCryptoKey(key.privateKey, 'sign') }, fresh: true };
}

function subjectNames(identity: Identity, extra: readonly string[]): x509.JsonGeneralName[] {
  const names: x509.JsonGeneralName[] = [{ type: 'url', value: identityUri(identity) }];
  if (identity.kind === 'general') names.push({ type: 'dns', value: generalHostName(identity.id) });
  for (const name of extra) names.push({ type: isIP(name) === 0 ? 'dns' : 'ip', value: name });
  return names;
}

async function issue(
  ca: Authority,
  identity: Identity,
  key: KeyObject,
  options: IssueOptions,
): Promise<x509.X509Certificate> {
  const now = options.now?.() ?? Date.now();
  const extra = identity.kind === 'general' ? (options.namesOf?.(identity.id) ?? []) : [];
  const usages =
    identity.kind === 'general'
      ? [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]
      : [x509.ExtendedKeyUsage.clientAuth];
  return x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${identity.kind === 'client' ? 'client' : generalHostName(identity.id)}`,
    issuer: ca.certificate.subject,
    notBefore: new Date(now - HOUR_MS),
    notAfter: new Date(now + (options.validDays ?? 3650) * DAY_MS),
    publicKey: await toCryptoKey(key, 'verify'),
    signingKey: ca.signingKey,
    signingAlgorithm: ED25519,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension(usages, false),
      new x509.SubjectAlternativeNameExtension(subjectNames(identity, extra), false),
    ],
  });
}

/**
 * Makes sure `dir` holds a CA, a private key for generals 0..n-1 and the client, and a certificate
 * for each from that CA. Existing keys (and the CA) are kept, so rerunning the generator never
 * invalidates a key a general already holds; certificates are issued anew each time (cheap), so
 * they always match the keys and the number of generals.
 */
export async function ensureClusterCredentials(
  dir: string,
  n: number,
  options: IssueOptions = {},
): Promise<IssuedCredentials> {
  mkdirSync(publicDirOf(dir), { recursive: true });
  const { ca, fresh } = await authority(dir, options);
  const created: string[] = [];
  const kept: string[] = [];
  const members: Array<[string, Identity]> = [
    ...Array.from({ length: n }, (_, id): [string, Identity] => [generalName(id), generalIdentity(id)]),
    [CLIENT_NAME, { kind: 'client' }],
  ];
  const pems: string[] = [];
  for (const [name, identity] of members) {
    const key = ensureKey(privateKeyPath(dir, name), name, created, kept);
    const pem = (await issue(ca, identity, key, options)).toString('pem');
    writeFileSync(certificatePath(dir, name), `${pem}\n`, { mode: 0o644 });
    pems.push(pem);
  }
  writeFileSync(join(publicDirOf(dir), CERT_BUNDLE_FILE), `${pems.join('\n')}\n`, { mode: 0o644 });
  return { created, kept, newAuthority: fresh };
}
