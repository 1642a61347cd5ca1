import { parseRunConfig } from '../config.js';
import { simulate } from '../sim/simulate.js';
import { type FlagSpec, helpText, parseFlags } from './flags.js';
import { announceSeeds, printResult, warnShape } from './output.js';
import { RUN_FLAGS, STRATEGY_HELP } from './run-flags.js';

const FLAGS: FlagSpec = RUN_FLAGS;

export const simulateHelp = helpText(
  'byzantine simulate [flags]',
  'Runs OM(t) among N generals in this one process over an in-memory network: same flags and output as `local`.',
  FLAGS,
  `\n${STRATEGY_HELP}`,
);

export function simulateCommand(argv: readonly string[]): number {
  const config = parseRunConfig(parseFlags(argv, FLAGS));
  announceSeeds(config.roster, config.json);
  warnShape(config.n, config.t, config.roster.size, config.json);
  const result = simulate({ n: config.n, t: config.t, order: config.order, roster: config.roster });
  return printResult(result, config.json);
}
