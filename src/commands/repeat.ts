import { randomInt } from 'node:crypto';
import { z } from 'zod';
import {
  ConfigError,
  type FlagValues,
  formatHostPort,
  intIn,
  parseClientConfig,
  parseRunConfig,
  problemsOf,
} from '../config/config.js';
import type { Algorithm } from '../core/algorithm.js';
import type { Order } from '../core/order.js';
import { runOnCluster, waitForGenerals } from '../net/cluster-client.js';
import { GeneralsUnreachableError } from '../net/errors.js';
import { PeerClients } from '../net/peers.js';
import {
  type DrawnRun,
  drawRun,
  formatRoster,
  type RepeatedRun,
  type RepeatPlan,
  renderRepeatSummary,
  renderRunLine,
  repeatExitCode,
  repeatedRun,
  summarizeRepeat,
} from '../run/repeat.js';
import { exitCodeOf, summarize } from '../run/result.js';
import { simulate } from '../sim/simulate.js';
import { clientSecurity } from './credentials.js';
import type { FlagSpec } from './flags.js';
import { runWithFaults, waitForCluster, withLocalCluster } from './local-run.js';

/** `--repeat K --seed S` on simulate, local and client: K runs drawn from S, then a summary. */
export const REPEAT_FLAGS: FlagSpec = {
  repeat: { type: 'string', help: 'K runs, each drawn from --seed (see "repeated runs" below)' },
  seed: { type: 'string', help: 'seed for --repeat, 0..4294967295', default: 'drawn and printed' },
};

export const REPEAT_HELP = {
  simulate: `repeated runs (--repeat K --seed S):
  run K times; for each run the seed draws every traitor's strategy (equivocate, flip, silent or
  random:SEED with a drawn seed), the traitor ids too when --traitors is absent (t of them, the
  commander among the candidates), and the order when --order is absent. --traitors then takes ids
  only. Same K and S, same runs. Prints one line per run, how many agreed, and for each failing
  run the exact command that replays it alone.`,
  local: `repeated runs (--repeat K --seed S):
  as for simulate: the seed draws each run's traitor strategies (ids too without --traitors) and
  the order without --order. A general's strategy is fixed by its env (TRAITOR), so the generals
  are relaunched for every run with that run's roster; faults (--crash, --delay, --drop) apply to
  every run. Each failing run's replay command is a single \`byzantine local\` run.`,
  client: `repeated runs (--repeat K --seed S):
  K runs one after another on the running generals. The client cannot choose a general's strategy
  (its TRAITOR env fixes it; give random:SEED there), so the seed draws only each run's order, and
  only when --order is absent. The roster from --traitors/TRAITORS judges every run. Each failing
  run's replay command is a single \`byzantine client\` run.`,
} as const;

export function isRepeat(flags: FlagValues): boolean {
  return flags.repeat !== undefined || flags.seed !== undefined;
}

const repeatSchema = z.object({
  repeat: intIn(1, 100_000, 'the number of runs').default(1),
  seed: intIn(0, 0xffffffff, 'the seed').optional(),
});

interface Parsed<T> {
  readonly base: T;
  readonly runs: number;
  readonly seed: number;
  readonly order: Order | undefined;
}

/** The command's own config and the repeat flags, every problem of both reported at once. */
function parseRepeat<T extends { order: Order }>(
  flags: FlagValues,
  parseBase: (flags: FlagValues) => T,
  idsOnly: boolean,
): Parsed<T> {
  const problems: string[] = [];
  const parsed = repeatSchema.safeParse(flags);
  if (!parsed.success) problems.push(...problemsOf(parsed.error, (k) => `--${k}`));
  if (flags.report !== undefined) problems.push('--report: a report is of one run; drop --repeat/--seed');
  if (idsOnly && typeof flags.traitors === 'string' && flags.traitors.includes(':')) {
    problems.push(
      '--traitors: with --repeat, give traitor ids only (e.g. 3,4,7): each run draws their strategies from --seed',
    );
  }
  let base: T | undefined;
  try {
    // Without --order the order is drawn per run; the placeholder only satisfies the base parser.
    base = parseBase({ ...flags, order: flags.order ?? 'ATTACK' });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.unshift(...error.problems);
  }
  if (!parsed.success || base === undefined || problems.length > 0) throw new ConfigError(problems);
  return {
    base,
    runs: parsed.data.repeat,
    seed: parsed.data.seed ?? randomInt(0, 0xffffffff),
    order: flags.order === undefined ? undefined : base.order,
  };
}

function announce(runs: number, seed: number, json: boolean): void {
  if (!json)
    process.stderr.write(
      `${runs} run(s) from seed ${seed} (replay them all with --repeat ${runs} --seed ${seed})\n`,
    );
}

async function repeat(
  plan: RepeatPlan,
  json: boolean,
  runOne: (drawn: DrawnRun) => Promise<RepeatedRun> | RepeatedRun,
  fixedRoster?: Parameters<typeof drawRun>[2],
): Promise<number> {
  announce(plan.runs, plan.seed, json);
  const done: RepeatedRun[] = [];
  for (let run = 1; run <= plan.runs; run++) {
    const record = await runOne(drawRun(plan, run, fixedRoster));
    done.push(record);
    if (!json) process.stdout.write(`${renderRunLine(record, plan.runs)}\n`);
  }
  const summary = summarizeRepeat(plan.seed, done);
  process.stdout.write(`${json ? JSON.stringify(summary) : `\n${renderRepeatSummary(summary)}`}\n`);
  return repeatExitCode(summary);
}

const unsafeFlag = (n: number, t: number) => (n <= 3 * t ? ' --allow-unsafe' : '');

/** What a replay command needs to name the algorithm: nothing for OM, the default. */
const algorithmFlag = (algorithm: Algorithm) => (algorithm === 'om' ? '' : ` --algorithm ${algorithm}`);

function unreachableRun(drawn: DrawnRun, error: GeneralsUnreachableError, replay: string): RepeatedRun {
  return {
    run: drawn.run,
    order: drawn.order,
    traitors: formatRoster(drawn.roster),
    ic1: false,
    ic2: false,
    consensus: null,
    unreachable: [...error.failures.keys()],
    exitCode: 3,
    replay,
  };
}

export function simulateRepeat(flags: FlagValues): Promise<number> {
  const { base, runs, seed, order } = parseRepeat(flags, (f) => parseRunConfig(f), true);
  const { n, t } = base;
  const traitorIds = flags.traitors === undefined ? undefined : [...base.roster.keys()];
  const plan: RepeatPlan = { seed, runs, n, t, order, traitorIds, drawStrategies: true };
  return repeat(plan, base.json, (drawn) => {
    const result = simulate({
      n,
      t,
      order: drawn.order,
      roster: drawn.roster,
      runId: `sim-${seed}-${drawn.run}`,
      algorithm: base.algorithm,
    });
    const replay = `byzantine simulate${algorithmFlag(base.algorithm)} --generals ${n} --t ${t} --order ${drawn.order} --traitors ${formatRoster(drawn.roster)}${unsafeFlag(n, t)}`;
    return repeatedRun(drawn, result, exitCodeOf(result), replay);
  });
}

export function localRepeat(flags: FlagValues): Promise<number> {
  const { base, runs, seed, order } = parseRepeat(flags, (f) => parseRunConfig(f), true);
  const { n, t } = base;
  const traitorIds = flags.traitors === undefined ? undefined : [...base.roster.keys()];
  const plan: RepeatPlan = { seed, runs, n, t, order, traitorIds, drawStrategies: true };
  const faultFlags = (['crash', 'delay', 'drop'] as const)
    .filter((k) => typeof flags[k] === 'string')
    .map((k) => ` --${k} ${String(flags[k])}`)
    .join('');
  return repeat(plan, base.json, async (drawn) => {
    const replay = `byzantine local${algorithmFlag(base.algorithm)} --generals ${n} --t ${t} --order ${drawn.order} --traitors ${formatRoster(drawn.roster)} --round-timeout ${base.roundTimeoutMs}${faultFlags}${unsafeFlag(n, t)}`;
    const roster = new Map(drawn.roster);
    return withLocalCluster(base, roster, async (cluster, peers) => {
      try {
        await waitForCluster(cluster, peers);
        const { result } = await runWithFaults(cluster, peers, base, { order: drawn.order, roster });
        return repeatedRun(drawn, result, exitCodeOf(result), replay);
      } catch (error) {
        if (error instanceof GeneralsUnreachableError) return unreachableRun(drawn, error, replay);
        throw error;
      }
    });
  });
}

export async function clientRepeat(flags: FlagValues): Promise<number> {
  const { base, runs, seed, order } = parseRepeat(flags, (f) => parseClientConfig(f, process.env), false);
  const { n, t } = base;
  const plan: RepeatPlan = { seed, runs, n, t, order, drawStrategies: false };
  const peersText = base.peers.map(formatHostPort).join(',');
  const roundTimeout = base.roundTimeoutMs === undefined ? '' : ` --round-timeout ${base.roundTimeoutMs}`;
  const peers = new PeerClients(base.peers, clientSecurity(base.auth, n));
  try {
    await waitForGenerals(peers, base.waitMs);
    return await repeat(
      plan,
      base.json,
      async (drawn) => {
        const replay = `byzantine client${algorithmFlag(base.algorithm)} --order ${drawn.order} --t ${t} --peers ${peersText} --traitors ${formatRoster(drawn.roster)}${roundTimeout}${unsafeFlag(n, t)}`;
        try {
          const facts = await runOnCluster(peers, { ...base, order: drawn.order });
          const result = summarize(facts);
          return repeatedRun(drawn, result, exitCodeOf(result), replay);
        } catch (error) {
          if (error instanceof GeneralsUnreachableError) return unreachableRun(drawn, error, replay);
          throw error;
        }
      },
      base.roster,
    );
  } finally {
    peers.close();
  }
}
