import { parseRunConfig } from '../config.js';
import { traceFromSimulation } from '../report/from-simulation.js';
import type { RunTrace } from '../report/trace.js';
import { simulate } from '../sim/simulate.js';
import { type FlagSpec, helpText, parseFlags } from './flags.js';
import { announceSeeds, printResult, warnShape } from './output.js';
import { isRepeat, REPEAT_FLAGS, REPEAT_HELP, simulateRepeat } from './repeat.js';
import { REPORT_FLAG, refuseReportWithRepeat, saveReport, withReportFlag } from './report-flag.js';
import { RUN_FLAGS, STRATEGY_HELP } from './run-flags.js';

const FLAGS: FlagSpec = { ...RUN_FLAGS, ...REPORT_FLAG, ...REPEAT_FLAGS };

export const simulateHelp = helpText(
  'byzantine simulate [flags]',
  'Runs OM(t) among N generals in this one process over an in-memory network: same flags and output as `local`.',
  FLAGS,
  `\n${STRATEGY_HELP}\n\n${REPEAT_HELP.simulate}`,
);

export function simulateCommand(argv: readonly string[]): number | Promise<number> {
  const flags = parseFlags(argv, FLAGS);
  if (isRepeat(flags)) return simulateRepeat(refuseReportWithRepeat(flags));
  const { config, report } = withReportFlag(flags, (f) => parseRunConfig(f));
  announceSeeds(config.roster, config.json);
  warnShape(config.n, config.t, config.roster.size, config.json);
  let trace: RunTrace | undefined;
  const keep =
    report === undefined
      ? undefined
      : (...run: Parameters<typeof traceFromSimulation>) => {
          trace = traceFromSimulation(...run);
        };
  const result = simulate({ n: config.n, t: config.t, order: config.order, roster: config.roster }, keep);
  const code = printResult(result, config.json);
  if (report !== undefined && trace !== undefined) saveReport(report, trace, config.json);
  return code;
}
