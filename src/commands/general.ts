import dotenv from 'dotenv';
import { type GeneralKeys, loadGeneralKeys } from '../auth/general-keys.js';
import { KeyFileError } from '../auth/keys.js';
import { ConfigError, type GeneralConfig, parseGeneralEnv } from '../config/config.js';
import { formatStrategy } from '../core/strategy.js';
import { GeneralLog } from '../log/general-log.js';
import { GeneralServer } from '../net/general-server.js';

export const generalHelp = `usage: byzantine general

Runs one general: a gRPC server configured only by its environment (a local .env is read too).

environment:
  ID                 this general's id, 0..N-1 (0 is the commander)
  PEERS              every general's host:port, comma-separated, index = id (includes this one)
  TRAITOR            empty/false = loyal, true = equivocate, or flip, silent, random, random:SEED
  TRAITOR_FILE       a file holding the TRAITOR value instead (one ConfigMap entry per pod, as
                     generate-compose.ts --kubernetes mounts it); not together with TRAITOR
  PORT               port to listen on (default 50051; 0 picks a free one)
  HOST               address to bind (default 0.0.0.0)
  LOG_DIR            where general_<ID>_intermediate.log and general_<ID>_events.jsonl go (default ./logs)
  ROUND_TIMEOUT_MS   round deadline; a value missing by then counts as RETREAT (default 1000)
  LOG_VALUES         auto (default), all or batch: a log line per value received, or one per batch
                     (auto: per value unless a lieutenant holds more than 2,000 values in the run)
  FAULT_CRASH_ROUND  injected fault: exit (status 70) when this round starts (0: on joining a run)
  FAULT_DELAY_MS     injected fault: hold back every outgoing batch this long; past the receiver's
                     round deadline it is refused and counts as missing
  FAULT_DROP_TO      injected fault: comma list of general ids whose batches from this one are lost
  AUTH               on (default) or off. On: every batch must carry its sender's Ed25519 signature
                     and RunAlgorithm/ResetLog the client's; anything else is refused (UNAUTHENTICATED).
                     Off: nothing is verified, and the general says so in its log at every start
  PRIVATE_KEY_FILE   this general's Ed25519 private key, PEM (required unless AUTH=off);
                     generate-compose.ts writes keys/private/general_<ID>.pem
  PUBLIC_KEYS_DIR    directory of general_<id>.pem for every general and client.pem (required
                     unless AUTH=off); generate-compose.ts writes keys/public/

GetDecision, GetTrace, WatchRun and health are reads and need no signature. See docs/auth.md.

Stops gracefully on SIGTERM or SIGINT (a second signal forces it).`;

/** Runs until a signal (or, when started by `local`, until its parent goes away). */
export async function generalCommand(): Promise<number> {
  dotenv.config({ quiet: true });
  // Whoever reads our stdout may go away first (a closed pipe); that must not crash the general.
  process.stdout.on('error', () => {});
  const config = parseGeneralEnv(process.env);
  const keys = keysOf(config);
  if (keys === undefined) {
    process.stderr.write(
      `general ${config.id}: WARNING: AUTH=off: nothing is verified; any process that can reach this general can speak for another general or the client\n`,
    );
  }
  const log = new GeneralLog(config.logDir, config.id, config.valueLines);
  const server = new GeneralServer(config, log, keys);
  const port = await server.listen();
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (why: string) => {
      if (stopping) {
        process.stderr.write(`general ${config.id}: ${why} again, forcing exit\n`);
        process.exit(1);
      }
      stopping = true;
      process.stdout.write(`general ${config.id}: ${why}, shutting down\n`);
      server
        .shutdown()
        .then(
          () => 0,
          () => 1,
        )
        .then((code) => {
          // The IPC channel to `local` would keep this process alive.
          if (process.connected) process.disconnect();
          resolve(code);
        });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    // Started by `local` with an IPC channel: never outlive the launcher, even if it is killed.
    if (process.send !== undefined) process.on('disconnect', () => stop('launcher gone'));
    // Announced once a signal stops it gracefully: whoever waits for this line may signal at once.
    process.stdout.write(
      `general ${config.id} (${formatStrategy(config.strategy)}) listening on ${config.host}:${port}, ${config.peers.length} generals\n`,
    );
  });
}

/** The general's keys, loaded once at start; a bad key file is bad configuration (exit 2). */
function keysOf(config: GeneralConfig): GeneralKeys | undefined {
  if (config.auth.mode === 'off') return undefined;
  try {
    return loadGeneralKeys(config.auth, config.id, config.peers.length);
  } catch (error) {
    if (!(error instanceof KeyFileError)) throw error;
    throw new ConfigError([`PRIVATE_KEY_FILE / PUBLIC_KEYS_DIR: ${error.message}`]);
  }
}
