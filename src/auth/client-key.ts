import type { ClientAuth } from '../config/config.js';
import { ConfigError } from '../config/config.js';
import { ControlSigner } from './control.js';
import { KeyFileError } from './keys.js';

/**
 * The client's signer for control requests, from --key/CLIENT_KEY_FILE, loaded once at the entry
 * point; undefined with --auth off. A key that cannot be read is bad input (ConfigError, exit 2).
 */
export function clientControl(auth: ClientAuth): ControlSigner | undefined {
  if (auth.mode === 'off') return undefined;
  try {
    return ControlSigner.fromKeyFile(auth.keyFile);
  } catch (error) {
    if (!(error instanceof KeyFileError)) throw error;
    throw new ConfigError([`--key (or CLIENT_KEY_FILE): ${error.message}`]);
  }
}
