import { parseRunConfig } from '../config/config.js';
import { traceFromSimulation } from '../report/from-simulation.js';
import type { RunTrace } from '../report/trace.js';
import { simulate } from '../sim/simulate.js';
import { type FlagSpec, helpText, parseFlags } from './flags.js';
import { announceSeeds, printResult, warnShape } from './output.js';
import { isRepeat, REPEAT_FLAGS, REPEAT_HELP, simulateRepeat } from './repeat.js';
import { REPORT_FLAG, refuseReportWithRepeat, saveReport, withReportFlag } from './report-flag.js';
import { RUN_FLAGS, STRATEGY_HELP } from './run-flags.js';

const FLAGS: FlagSpec = {
  ...RUN_FLAGS,
  auth: {
    type: 'string',
    help: 'accepted as for `local` (off refuses sm); in one process every sender is known, so there is no channel to sign',
    default: 'on',
  },
  ...REPORT_FLAG,
  ...REPEAT_FLAGS,
};

export const simulateHelp = helpText(
  'byzantine simulate [flags]',
  `Runs OM(t), SM(t) or King among N generals in this one process over an in-memory network: same
flags and output as \`local\`. Under --algorithm sm every order and relay is a chain of Ed25519
signatures made with fresh keys for the run; a traitor cannot forge one, so a tampered relay is
caught and ignored. Under --algorithm king every general, the commander too, plays t+1 phases of
three rounds (value, propose, the king's value), with n(n-1) messages a round: hundreds of generals
are fine. Without --t, t is the most N tolerates: floor((N-1)/3) for om and king, N-2 for sm.`,
  FLAGS,
  `\n${STRATEGY_HELP}\n  Under sm a traitor signs what it sends: as commander it really signs the value the strategy
  picks; relaying, the other value is a tampered chain that receivers detect; silent withholds.

${REPEAT_HELP.simulate}

examples:
  byzantine simulate --algorithm sm --generals 4 --t 2 --traitors 0:equivocate,3:flip
      agrees under SM; OM(2) cannot even be run with 4 generals
  byzantine simulate --algorithm king --generals 100 --t 33 --traitors 0:equivocate,1:silent,2:flip
      King among 100 generals: 676,665 messages, where OM(33) would need 1.1e65 values`,
);

export function simulateCommand(argv: readonly string[]): number | Promise<number> {
  const flags = parseFlags(argv, FLAGS);
  if (isRepeat(flags)) return simulateRepeat(refuseReportWithRepeat(flags));
  const { config, report } = withReportFlag(flags, (f) => parseRunConfig(f));
  const { n, t, order, roster, algorithm, json } = config;
  announceSeeds(roster, json);
  warnShape(n, t, roster.size, json, algorithm);
  let trace: RunTrace | undefined;
  const keep =
    report === undefined
      ? undefined
      : (...run: Parameters<typeof traceFromSimulation>) => {
          trace = traceFromSimulation(...run);
        };
  const result = simulate({ n, t, order, roster, algorithm }, keep);
  const code = printResult(result, json);
  if (report !== undefined && trace !== undefined) saveReport(report, trace, json);
  return code;
}
