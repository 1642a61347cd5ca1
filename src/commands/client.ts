import { parseClientConfig } from '../config/config.js';
import { lastRoundOf } from '../core/algorithm.js';
import { COMMANDER } from '../core/paths.js';
import { runOnCluster } from '../net/cluster-client.js';
import { GeneralsUnreachableError } from '../net/errors.js';
import { PeerClients } from '../net/peers.js';
import { traceFromCluster } from '../net/trace-client.js';
import { ClusterProgress } from '../progress/cluster-progress.js';
import { TerminalProgress } from '../progress/terminal.js';
import { summarize } from '../run/result.js';
import { clientSecurity } from './credentials.js';
import { type FlagSpec, helpText, parseFlags } from './flags.js';
import { announceSeeds, printResult, warnShape } from './output.js';
import { clientRepeat, isRepeat, REPEAT_FLAGS, REPEAT_HELP } from './repeat.js';
import { REPORT_FLAG, refuseReportWithRepeat, saveReport, withReportFlag } from './report-flag.js';
import { ALGORITHM_FLAG, STRATEGY_HELP } from './run-flags.js';

const FLAGS: FlagSpec = {
  order: { type: 'string', help: "the commander's order: ATTACK or RETREAT (required)" },
  t: {
    type: 'string',
    help: 'traitors tolerated: the depth of OM(t) or SM(t), t+1 phases of King (required)',
  },
  ...ALGORITHM_FLAG,
  peers: {
    type: 'string',
    help: 'every general as host:port, comma-separated, index = id',
    default: '$PEERS',
  },
  traitors: { type: 'string', help: 'who the traitors are, only to judge the verdict', default: '$TRAITORS' },
  timeout: {
    type: 'string',
    help: 'how long to wait for decisions, ms',
    default: '(t+1) round deadlines + 5 s; (3(t+1)+1) under king',
  },
  wait: { type: 'string', help: 'how long to wait for every general to be healthy, ms', default: '30000' },
  'round-timeout': {
    type: 'string',
    help: "round deadline for this run, ms (default: each general's ROUND_TIMEOUT_MS)",
  },
  json: { type: 'boolean', help: 'print one JSON object instead of the table' },
  'allow-unsafe': { type: 'boolean', help: 'run even when n <= 3t, and report what fails' },
  key: {
    type: 'string',
    help: "the client's private key, PEM (keys/private/client.pem)",
    default: '$CLIENT_KEY_FILE',
  },
  certs: {
    type: 'string',
    help: "the cluster's certificates: a directory with ca.pem and certs.pem (keys/public)",
    default: '$CERTS_DIR',
  },
  auth: {
    type: 'string',
    help: 'off: plaintext, no certificates, for generals run with AUTH=off',
    default: '$AUTH or on',
  },
  ...REPEAT_FLAGS,
  ...REPORT_FLAG,
};

export const clientHelp = helpText(
  'byzantine client --order ATTACK|RETREAT --t N [flags]',
  'Runs OM(t), SM(t) or King once on running generals: waits until each is healthy, joins them to a new run, has the\ncommander (general 0) issue the order, collects every decision and judges IC1 and IC2.\nExit status: 0 agreement, 1 IC1 or IC2 failed, 2 bad input (a key that cannot be read too),\n3 generals unreachable or refusing the client certificate (each named, with why).',
  FLAGS,
  `\n${STRATEGY_HELP}\n\n${REPEAT_HELP.client}`,
);

export async function clientCommand(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, FLAGS);
  if (isRepeat(flags)) return clientRepeat(refuseReportWithRepeat(flags));
  const { config, report } = withReportFlag(flags, (rest) => parseClientConfig(rest, process.env));
  announceSeeds(config.roster, config.json);
  warnShape(config.n, config.t, config.roster.size, config.json, config.algorithm);
  const peers = new PeerClients(config.peers, clientSecurity(config.auth, config.n));
  // On a terminal: a spinner while the generals come up, then a line per round (never with --json).
  const progress = new ClusterProgress(
    TerminalProgress.forCommand(config.json),
    peers,
    lastRoundOf(config.algorithm, config.t),
  );
  try {
    const unreachable = await waitForLieutenants(progress, config.waitMs, config.json);
    const facts = await runOnCluster(peers, {
      ...config,
      unreachable,
      onLieutenantsJoined: progress.onLieutenantsJoined,
    });
    progress.stop();
    const code = printResult(summarize(facts), config.json);
    // The generals may be in containers: their traces come over GetTrace, not from their logs.
    if (report !== undefined) saveReport(report, await traceFromCluster(peers, facts), config.json);
    return code;
  } finally {
    progress.stop();
    peers.close();
  }
}

/**
 * Waits for every general's health. Lieutenants that never come up do not stop the run: the others
 * decide through round deadlines, and the result names the missing ones (exit 3). Without a
 * healthy commander there is no run at all.
 */
async function waitForLieutenants(
  progress: ClusterProgress,
  waitMs: number,
  json: boolean,
): Promise<Map<number, string>> {
  try {
    await progress.waitForGenerals(waitMs);
    return new Map();
  } catch (error) {
    if (!(error instanceof GeneralsUnreachableError) || error.failures.has(COMMANDER)) throw error;
    if (!json) process.stderr.write(`${error.message}; running without them\n`);
    return new Map(error.failures);
  }
}
