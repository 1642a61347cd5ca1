import dotenv from 'dotenv';
import { parseGeneralEnv } from '../config/config.js';
import { formatStrategy } from '../core/strategy.js';
import { GeneralLog } from '../log/general-log.js';
import { ProgressLog } from '../log/progress-log.js';
import type { GeneralMetrics } from '../metrics/general-metrics.js';
import type { MetricsServer } from '../metrics/metrics-server.js';
import { GeneralServer } from '../net/general-server.js';
import { generalSecurity } from './credentials.js';

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
  PEER_CALLS         stream (default): one long-lived stream to each peer, kept across runs; unary:
                     a SendOrder call per batch (to measure what the streams gain, or for networks
                     that do not carry long-lived streams)
  LOG_VALUES         auto (default), all or batch: in the intermediate log, a line per value
                     received and every value of each batch forwarded, or a line per batch (the
                     values received as letters, the count forwarded); auto: per value unless a
                     lieutenant holds more than 2,000 values in the run
  LOG_FORMAT         text (default) or json: how progress is printed on stdout; json is one object
                     per line (ts, level, general, type, msg and the event's fields) for collectors
  LOG_LEVEL          how much progress stdout shows (default info):
                       debug   also a line per batch received and sent
                       info    listening, joined run R, each round closed, decided, the commander's
                               order delivered, stopped
                       warn    only trouble: rounds that timed out (and who was missing), refused
                               requests and batches, failed sends, broken streams, injected faults
                       error   only what ends the general
                       silent  nothing
  METRICS_PORT       serve Prometheus metrics at http://HOST:METRICS_PORT/metrics (unset: off;
                     0 picks a free port); plain HTTP, for the cluster's private network only
  FAULT_CRASH_ROUND  injected fault: exit (status 70) when this round starts (0: on joining a run)
  FAULT_DELAY_MS     injected fault: hold back every outgoing batch this long; past the receiver's
                     round deadline it is refused and counts as missing
  FAULT_DROP_TO      injected fault: comma list of general ids whose batches from this one are lost
  AUTH               on (default) or off. On: mutual TLS under the cluster CA; a batch must come
                     from the general its certificate names, and only the client's certificate
                     may call RunAlgorithm or ResetLog. Off: plaintext, nothing is verified, and
                     the general says so in its log at every start
  PRIVATE_KEY_FILE   this general's Ed25519 private key, PEM: its TLS key and its SM signing key
                     (required unless AUTH=off); generate-compose.ts writes keys/private/general_<ID>.pem
  CERTS_DIR          the cluster's certificates: ca.pem (the CA) and certs.pem (every general's
                     and the client's), required unless AUTH=off; generate-compose.ts writes keys/public

GetDecision, GetTrace, WatchRun, health and reflection need any certificate of the cluster.
See docs/auth.md; what a general prints, logs and counts: docs/observability.md.

Stops gracefully on SIGTERM or SIGINT (a second signal forces it).`;

/** Runs until a signal (or, when started by `local`, until its parent goes away). */
export async function generalCommand(): Promise<number> {
  dotenv.config({ quiet: true });
  const config = parseGeneralEnv(process.env);
  const security = generalSecurity(config.auth, config.id, config.peers.length);
  if (security.mode === 'off') {
    process.stderr.write(
      `general ${config.id}: WARNING: AUTH=off: plaintext, nothing is verified; any process that can reach this general can speak for another general or the client\n`,
    );
  }
  // Everything this general prints goes through `progress`, written in the background: nothing
  // else writes to stdout, so that lines keep their order and a slow reader never blocks a round.
  const progress = ProgressLog.toStdout(config.id, { format: config.logFormat, level: config.logLevel });
  // prom-client only where metrics are asked for: every general pays for what it loads at start.
  const metrics: GeneralMetrics | undefined =
    config.metricsPort === undefined
      ? undefined
      : new (await import('../metrics/general-metrics.js')).GeneralMetrics(config.id);
  const log = new GeneralLog(config.logDir, config.id, {
    valueLines: config.valueLines,
    progress,
    ...(metrics === undefined ? {} : { metrics }),
  });
  const server = new GeneralServer(config, log, security);
  const port = await server.listen();
  let endpoint: MetricsServer | undefined;
  if (metrics !== undefined && config.metricsPort !== undefined) {
    metrics.watch(server.liveCounts());
    try {
      const { MetricsServer } = await import('../metrics/metrics-server.js');
      endpoint = await MetricsServer.listen(config.host, config.metricsPort, () => metrics.exposition());
    } catch (error) {
      await server.shutdown(0);
      throw error;
    }
  }
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (why: string) => {
      if (stopping) {
        process.stderr.write(`general ${config.id}: ${why} again, forcing exit\n`);
        process.exit(1);
      }
      stopping = true;
      progress.notice(`${why}, shutting down`);
      Promise.all([server.shutdown(), endpoint?.close()])
        .then(
          () => 0,
          () => 1,
        )
        .then(async (code) => {
          progress.notice('stopped');
          await progress.flush();
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
    progress.listening(config.host, port, {
      n: config.peers.length,
      strategy: formatStrategy(config.strategy),
      auth: security.mode === 'tls' ? 'on' : 'off',
    });
    if (endpoint !== undefined) progress.metricsListening(endpoint.url);
  });
}
