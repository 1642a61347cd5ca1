import { parseRunConfig } from '../config.js';
import { LocalCluster } from '../local/cluster.js';
import { GeneralsUnreachableError, runOnCluster, waitForGenerals } from '../net/cluster-client.js';
import { PeerClients } from '../net/peers.js';
import { summarize } from '../run/result.js';
import { FAULT_FLAGS, FAULT_HELP, faultedOf } from './fault-flags.js';
import { type FlagSpec, helpText, parseFlags } from './flags.js';
import { announceSeeds, printResult, warnShape } from './output.js';
import { isRepeat, localRepeat, REPEAT_FLAGS, REPEAT_HELP } from './repeat.js';
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
  if (isRepeat(flags)) return localRepeat(flags);
  const config = parseRunConfig(flags);
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
  try {
    await waitForGenerals(peers, HEALTH_WAIT_MS);
    const faulted = faultedOf(config.faults);
    const crashing = [...(config.faults ?? [])].filter(([, f]) => f.crashRound !== undefined);
    const gone = new Map(
      crashing.map(([id]) => [id, cluster.exited(id).then(() => cluster.casualties().get(id) ?? 'exited')]),
    );
    const facts = await runOnCluster(peers, { ...config, expectFailures: new Set(faulted.keys()), gone });
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
    peers.close();
    await cluster.stop();
  }
}
