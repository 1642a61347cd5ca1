import { parseRunConfig } from '../config.js';
import { LocalCluster } from '../local/cluster.js';
import { GeneralsUnreachableError, runOnCluster } from '../net/cluster-client.js';
import { PeerClients } from '../net/peers.js';
import { ClusterProgress } from '../progress/cluster-progress.js';
import { TerminalProgress } from '../progress/terminal.js';
import { summarize } from '../run/result.js';
import { FAULT_FLAGS, FAULT_HELP, faultedOf } from './fault-flags.js';
import { type FlagSpec, helpText, parseFlags } from './flags.js';
import { announceSeeds, printResult, warnShape } from './output.js';
import { isRepeat, localRepeat, REPEAT_FLAGS, REPEAT_HELP } from './repeat.js';
import { REPORT_FLAG, refuseReportWithRepeat, saveLogReport, withReportFlag } from './report-flag.js';
import { RUN_FLAGS, STRATEGY_HELP } from './run-flags.js';

const FLAGS: FlagSpec = {
  ...RUN_FLAGS,
  'base-port': { type: 'string', help: 'first port; generals take base..base+N-1', default: 'free ports' },
  'log-dir': { type: 'string', help: 'where the generals write their logs', default: './logs' },
  timeout: {
    type: 'string',
    help: 'how long to wait for decisions, ms',
    default: '(t+1) round deadlines + 5 s',
  },
  ...FAULT_FLAGS,
  ...REPEAT_FLAGS,
  ...REPORT_FLAG,
};

export const localHelp = helpText(
  'byzantine local [flags]',
  'Starts N general processes on 127.0.0.1, waits until each is healthy, runs the client once, and\nstops them all (also on Ctrl-C or failure). Exit status as for `client`.',
  FLAGS,
  `\n${STRATEGY_HELP}\n\n${FAULT_HELP}\n\n${REPEAT_HELP.local}\n\nexample (the seed example, also \`npm start\`):\n  byzantine local --generals 10 --traitors 3,4,7 --order ATTACK --t 3`,
);

const HEALTH_WAIT_MS = 30_000;

export async function localCommand(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, FLAGS);
  if (isRepeat(flags)) return localRepeat(refuseReportWithRepeat(flags));
  const { config, report } = withReportFlag(flags, (rest) => parseRunConfig(rest));
  announceSeeds(config.roster, config.json);
  warnShape(config.n, config.t, config.roster.size, config.json);
  const cluster = await LocalCluster.start(config);
  const peers = new PeerClients(cluster.peers);
  // Ctrl-C or a kill: take every general down before leaving.
  const interrupt = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping ${config.n} generals\n`);
    peers.close();
    cluster.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  // On a terminal: a spinner while the generals come up, then a line per round (never with --json).
  const progress = new ClusterProgress(TerminalProgress.forCommand(config.json), peers, config.t);
  let reportRun: string | undefined;
  try {
    // A general that dies while starting (a port in use, say) ends the wait at once.
    const stopWaiting = new AbortController();
    const died = cluster.firstExit().then((id): never => {
      stopWaiting.abort();
      const address = peers.address(id);
      throw new GeneralsUnreachableError(
        new Map([[id, `its process at ${address} ended before it was healthy`]]),
      );
    });
    died.catch(() => {});
    await Promise.race([progress.waitForGenerals(HEALTH_WAIT_MS, stopWaiting.signal), died]);
    const faulted = faultedOf(config.faults);
    const crashing = [...(config.faults ?? [])].filter(([, f]) => f.crashRound !== undefined);
    const gone = new Map(
      crashing.map(([id]) => [id, cluster.exited(id).then(() => cluster.casualties().get(id) ?? 'exited')]),
    );
    const facts = await runOnCluster(peers, {
      ...config,
      expectFailures: new Set(faulted.keys()),
      gone,
      onLieutenantsJoined: progress.onLieutenantsJoined,
    });
    progress.stop();
    reportRun = facts.runId;
    return printResult(summarize({ ...facts, faulted }), config.json);
  } catch (error) {
    if (error instanceof GeneralsUnreachableError) {
      const casualties = cluster.casualties();
      const lines = [...error.failures].map(([id, why]) => {
        const exit = casualties.get(id);
        return `  general ${id}: ${why}${exit === undefined ? '' : `\n    process ended: ${exit}`}`;
      });
      process.stderr.write(`could not reach ${error.failures.size} general(s):\n${lines.join('\n')}\n`);
      return 3;
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
    progress.stop();
    peers.close();
    await cluster.stop();
    // Read once the generals have stopped, so that every event is on disk.
    if (report !== undefined && reportRun !== undefined) {
      saveLogReport(report, config.logDir, reportRun, config.json);
    }
  }
}
