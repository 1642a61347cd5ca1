import type { FlagSpec } from './flags.js';

/** --algorithm, shared by client, local and simulate. */
export const ALGORITHM_FLAG: FlagSpec = {
  algorithm: {
    type: 'string',
    help: 'om: oral messages, needs N > 3t; sm: signed messages, needs only N >= t+2 (and keys); king: the King algorithm, N > 3t, t+1 phases of n^2 messages',
    default: 'om',
  },
};

/** Flags shared by `local` and `simulate`. */
export const RUN_FLAGS: FlagSpec = {
  generals: { type: 'string', help: 'number of generals N', default: '10' },
  traitors: {
    type: 'string',
    help: 'traitor ids, e.g. 3,4,7 or 3:flip,4:silent,5:random:42',
    default: 'none',
  },
  order: { type: 'string', help: "the commander's order: ATTACK or RETREAT", default: 'ATTACK' },
  t: {
    type: 'string',
    help: 'traitors tolerated: the depth of OM(t) or SM(t), or King with t+1 phases',
    default: 'floor((N-1)/3) for om and king, N-2 for sm',
  },
  'round-timeout': {
    type: 'string',
    help: 'round deadline in ms; missing values then count as RETREAT',
    default: '1000',
  },
  json: { type: 'boolean', help: 'print one JSON object instead of the table' },
  'allow-unsafe': { type: 'boolean', help: 'run even when N <= 3t, and report what fails' },
  ...ALGORITHM_FLAG,
};

export const STRATEGY_HELP = `strategies (what a traitor sends to general j when a loyal one would send v):
  equivocate   the opposite of v if j is even, else v (the default traitor)
  flip         the opposite of v
  silent       nothing, in every round
  random:SEED  a value drawn from a generator seeded with SEED (random alone draws a seed)
  loyal        v`;
