import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Ed25519 keys on disk. A keys directory holds:
 *   private/general_<id>.pem, private/client.pem   PKCS#8, mode 0600, directory mode 0700
 *   public/general_<id>.pem,  public/client.pem    SPKI, readable by all
 * Each general is given only its own private key and the whole public/ directory.
 */
export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
}

export const CLIENT_KEY_NAME = 'client';
export const generalKeyName = (id: number) => `general_${id}`;

export const privateKeyPath = (dir: string, name: string) => join(dir, 'private', `${name}.pem`);
export const publicKeyPath = (publicDir: string, name: string) => join(publicDir, `${name}.pem`);
export const publicDirOf = (dir: string) => join(dir, 'public');

/** The env that hands general `id` its key from a keys directory (see the general's --help). */
export function generalKeyEnv(
  dir: string,
  id: number,
): { PRIVATE_KEY_FILE: string; PUBLIC_KEYS_DIR: string } {
  return { PRIVATE_KEY_FILE: privateKeyPath(dir, generalKeyName(id)), PUBLIC_KEYS_DIR: publicDirOf(dir) };
}

export interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export function newKeyPair(): KeyPair {
  return generateKeyPairSync('ed25519');
}

/** The public keys a general or the client trusts: one per general id, and the client's. */
export interface PublicKeys {
  readonly generals: readonly KeyObject[];
  readonly client: KeyObject;
}

export interface WrittenKeys {
  /** Names whose key pair was made now; the others were already there and kept. */
  readonly created: readonly string[];
  readonly kept: readonly string[];
}

/**
 * Makes sure `dir` holds a key pair for generals 0..n-1 and the client. Existing pairs are kept,
 * so regenerating compose.yaml never invalidates keys that running generals already hold.
 */
export function ensureKeyDir(dir: string, n: number): WrittenKeys {
  const privateDir = join(dir, 'private');
  mkdirSync(privateDir, { recursive: true, mode: 0o700 });
  chmodSync(privateDir, 0o700);
  mkdirSync(publicDirOf(dir), { recursive: true });
  const created: string[] = [];
  const kept: string[] = [];
  const names = [CLIENT_KEY_NAME, ...Array.from({ length: n }, (_, id) => generalKeyName(id))];
  for (const name of names) {
    const privatePath = privateKeyPath(dir, name);
    const publicPath = publicKeyPath(publicDirOf(dir), name);
    if (existsSync(privatePath)) {
      // The public half is always rewritten from the private one, so the two cannot drift.
      const publicKey = createPublicKey(loadPrivateKey(privatePath));
      writeFileSync(publicPath, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
      kept.push(name);
      continue;
    }
    const pair = newKeyPair();
    writeFileSync(privatePath, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    chmodSync(privatePath, 0o600);
    writeFileSync(publicPath, pair.publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
    created.push(name);
  }
  return { created, kept };
}

/**
 * Why a key file cannot be read, for the usual cause: in compose a secret is the host file itself,
 * bind-mounted with its host owner and mode 0600, and the container runs as $UID:$GID (1000:1000
 * unless exported), so the two uids must match.
 */
function accessHint(path: string): string {
  const runningAs = process.getuid?.();
  let owner = '';
  try {
    const stat = statSync(path);
    owner = `; the file belongs to uid ${stat.uid} with mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')}`;
  } catch {
    // The directory itself is closed to this user: the hint below still applies.
  }
  const who = runningAs === undefined ? '' : `; this process runs as uid ${runningAs}`;
  return (
    ` (private keys are mode 0600, readable only by their owner${who}${owner}: run as the user that owns the` +
    ' file; with compose, `export UID GID=$(id -g)` as the user who ran generate-compose.ts, then `docker compose up -d` again)'
  );
}

function readKeyFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === 'EACCES' ? accessHint(path) : '';
    throw new KeyFileError(`cannot read ${what} ${path}: ${code ?? String(error)}${hint}`, { cause: error });
  }
}

export function loadPrivateKey(path: string): KeyObject {
  const pem = readKeyFile(path, 'private key');
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`a ${key.asymmetricKeyType} key`);
    return key;
  } catch (error) {
    throw new KeyFileError(`${path} is not an Ed25519 private key in PEM (PKCS#8)`, { cause: error });
  }
}

export function loadPublicKey(path: string): KeyObject {
  const pem = readKeyFile(path, 'public key');
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`a ${key.asymmetricKeyType} key`);
    return key;
  } catch (error) {
    throw new KeyFileError(`${path} is not an Ed25519 public key in PEM (SPKI)`, { cause: error });
  }
}

/** Every general's public key (general_0..n-1) and the client's, from a public keys directory. */
export function loadPublicKeys(publicDir: string, n: number): PublicKeys {
  const generals: KeyObject[] = [];
  for (let id = 0; id < n; id++) generals.push(loadPublicKey(publicKeyPath(publicDir, generalKeyName(id))));
  return { generals, client: loadPublicKey(publicKeyPath(publicDir, CLIENT_KEY_NAME)) };
}
