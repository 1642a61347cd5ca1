import { loadCredentials } from '../auth/credentials.js';
import { CLIENT_IDENTITY, generalIdentity, type Identity } from '../auth/identity.js';
import { KeyFileError } from '../auth/key-files.js';
import { ConfigError, type MemberAuth } from '../config/config.js';
import { PLAINTEXT, type TransportSecurity } from '../net/transport-security.js';

/**
 * A member's transport security, loaded once at the entry point: its key and the cluster's
 * certificates checked now, so that a missing or mismatched file is bad configuration (exit 2)
 * named before anything starts, never a failure in the middle of a run.
 */
function securityOf(
  auth: MemberAuth,
  identity: Identity,
  generals: number,
  names: string,
): TransportSecurity {
  if (auth.mode === 'off') return PLAINTEXT;
  try {
    return { mode: 'tls', credentials: loadCredentials(auth, identity, generals) };
  } catch (error) {
    if (!(error instanceof KeyFileError)) throw error;
    throw new ConfigError([`${names}: ${error.message}`]);
  }
}

export const generalSecurity = (auth: MemberAuth, id: number, generals: number): TransportSecurity =>
  securityOf(auth, generalIdentity(id), generals, 'PRIVATE_KEY_FILE / CERTS_DIR');

export const clientSecurity = (auth: MemberAuth, generals: number): TransportSecurity =>
  securityOf(auth, CLIENT_IDENTITY, generals, '--key / --certs (or CLIENT_KEY_FILE / CERTS_DIR)');
