import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

/** A key or certificate file that is missing, unreadable or not what it should be. */
export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
}

/**
 * Why a private key cannot be read, for the usual cause: in a container the key is the host file
 * itself, bind-mounted with its host owner and mode 0600, so the container must run as that owner.
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
    ' file; with compose, rerun `npx tsx generate-compose.ts` as that user, which records its uid in .env)'
  );
}

export function readKeyFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
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

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Every certificate in a PEM file (one, or a bundle), in file order. */
export function loadCertificates(path: string, what: string): X509Certificate[] {
  const text = readKeyFile(path, what).toString('utf8');
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new KeyFileError(`${path} holds no PEM certificate (${what})`);
  return blocks.map((block, index) => {
    try {
      return new X509Certificate(block);
    } catch (error) {
      throw new KeyFileError(`${path}: certificate ${index + 1} cannot be parsed (${what})`, {
        cause: error,
      });
    }
  });
}
