import { parseRunConfig } from '../config/config.js';
import { lastRoundOf } from '../core/algorithm.js';
import { GeneralsUnreachableError } from '../net/errors.js';
import { ClusterProgress } from '../progress/cluster-progress.js';
import { TerminalProgress } from '../progress/terminal.js';
import { FAULT_FLAGS, FAULT_HELP } from './fault-flags.js';
import { type FlagSpec, helpText, parseFlags } from './flags.js';
import { runWithFaults, waitForCluster, withLocalCluster } from './local-run.js';
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
    default: '(t+1) round deadlines + 5 s; (3(t+1)+1) under king',
  },
  auth: {
    type: 'string',
    help: 'on: mutual TLS with an ephemeral cluster CA, keys and certificates (removed afterwards); off: plaintext, AUTH=off',
    default: 'on',
  },
  ...FAULT_FLAGS,
  ...REPEAT_FLAGS,
  ...REPORT_FLAG,
};

export const localHelp = helpText(
  'byzantine local [flags]',
  'Starts N general processes on 127.0.0.1, waits until each is healthy (30 s plus 1 s per general at\nmost), runs the client once, and stops them all (also on Ctrl-C or failure). Unless --auth off, a\nfresh cluster CA issues each general and the client a key and certificate in a new temporary\ndirectory, removed when they stop: they speak mutual TLS. Exit status as for `client`.',
  FLAGS,
  `\n${STRATEGY_HELP}\n\n${FAULT_HELP}\n\n${REPEAT_HELP.local}\n\nexample (the seed example, also \`npm start\`):\n  byzantine local --generals 10 --traitors 3,4,7 --order ATTACK --t 3`,
);

export async function localCommand(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, FLAGS);
  if (isRepeat(flags)) return localRepeat(refuseReportWithRepeat(flags));
  const { config, report } = withReportFlag(flags, (rest) => parseRunConfig(rest));
  announceSeeds(config.roster, config.json);
  warnShape(config.n, config.t, config.roster.size, config.json, config.algorithm);
  let reportRun: string | undefined;
  try {
    return await withLocalCluster(config, config.roster, async (cluster, peers) => {
      // On a terminal: a spinner while the generals come up, then a line per round (never with --json).
      const progress = new ClusterProgress(
        TerminalProgress.forCommand(config.json),
        peers,
        lastRoundOf(config.algorithm, config.t),
      );
      try {
        await waitForCluster(cluster, peers, progress);
        const { runId, result } = await runWithFaults(cluster, peers, config, { ...config, progress });
        progress.stop();
        reportRun = runId;
        return printResult(result, config.json);
      } catch (error) {
        if (!(error instanceof GeneralsUnreachableError)) throw error;
        const casualties = cluster.casualties();
        const lines = [...error.failures].map(([id, why]) => {
          const exit = casualties.get(id);
          return `  general ${id}: ${why}${exit === undefined ? '' : `\n    process ended: ${exit}`}`;
        });
        process.stderr.write(`could not reach ${error.failures.size} general(s):\n${lines.join('\n')}\n`);
        return 3;
      } finally {
        progress.stop();
      }
    });
  } finally {
    // Read once the generals have stopped, so that every event is on disk.
    if (report !== undefined && reportRun !== undefined) {
      saveLogReport(report, config.logDir, reportRun, config.json);
    }
  }
}
