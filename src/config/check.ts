import { availableParallelism } from 'node:os';
import { z } from 'zod';
import type { Shape } from '../check/cases.js';
import { maximumTraitors } from '../core/algorithm.js';
import {
  algorithmSchema,
  boundByThirds,
  ConfigError,
  type FlagValues,
  flagProblems,
  problemsOf,
  unsafeBoundMessage,
} from './config.js';

/** `byzantine check`'s flags, parsed by zod; every problem is reported at once (exit 2). */

export interface IntRange {
  readonly from: number;
  readonly to: number;
}

const RANGE = /^(\d{1,3})(?:\.\.(\d{1,3}))?$/;

/** `7` or `4..8` (inclusive), each end within [min, max]. */
const rangeSchema = (min: number, max: number, what: string) =>
  z
    .string()
    .trim()
    .transform((text, ctx): IntRange => {
      const match = RANGE.exec(text);
      const from = Number(match?.[1]);
      const to = Number(match?.[2] ?? match?.[1]);
      if (match === null || from < min || to > max || from > to) {
        ctx.addIssue({
          code: 'custom',
          message: `expected ${what}: an integer ${min}..${max} or a range like ${min}..${Math.min(max, min + 4)} (low..high), got "${text}"`,
        });
        return { from: min, to: min };
      }
      return { from, to };
    });

const checkSchema = z.object({
  algorithm: algorithmSchema.default('om'),
  generals: rangeSchema(2, 30, 'the number of generals'),
  t: rangeSchema(0, 10, 'the depth t of OM(t)').optional(),
  maxTraitors: z
    .string()
    .trim()
    .regex(/^\d{1,2}$/, 'expected an integer 0..30')
    .transform(Number)
    .optional(),
  workers: z
    .string()
    .trim()
    .regex(/^\d{1,2}$/, 'expected an integer 1..64 (1: no worker threads)')
    .transform(Number)
    .refine((v) => v >= 1 && v <= 64, 'expected an integer 1..64 (1: no worker threads)')
    .optional(),
  json: z.boolean().default(false),
  allowUnsafe: z.boolean().default(false),
});

export interface CheckConfig {
  readonly shapes: readonly Shape[];
  /** Shapes left out of a range, with why. */
  readonly skipped: readonly string[];
  /** Worker threads to use when the sweep is large; undefined: one per core. */
  readonly workers: number | undefined;
  readonly json: boolean;
  readonly allowUnsafe: boolean;
}

const label = (key: string) =>
  key === 'maxTraitors' ? '--max-traitors' : key === 'allowUnsafe' ? '--allow-unsafe' : `--${key}`;

/**
 * Every (n, t) in the ranges. Without --t, t is the largest that n tolerates under the algorithm.
 * A pair with t > n-2 is not a run and is skipped; under OM and King a pair with n <= 3t needs
 * --allow-unsafe: in a range it is skipped (and said so) without it, and when every pair is unsafe
 * the whole check is refused. Under SM every pair with n >= t+2 is safe.
 */
export function parseCheckConfig(flags: FlagValues): CheckConfig {
  const parsed = checkSchema.safeParse({ ...flags, generals: flags.generals ?? '' });
  if (!parsed.success || flagProblems(flags).length > 0) {
    throw new ConfigError([
      ...flagProblems(flags),
      ...(parsed.error === undefined ? [] : problemsOf(parsed.error, label)).map((p) =>
        p.startsWith('--generals') && flags.generals === undefined
          ? '--generals: is required (N or A..B)'
          : p,
      ),
    ]);
  }
  const c = parsed.data;
  const problems: string[] = [];
  const shapes: Shape[] = [];
  const skipped: string[] = [];
  const unsafe: Array<[number, number]> = [];
  for (let n = c.generals.from; n <= c.generals.to; n++) {
    const safest = maximumTraitors(c.algorithm, n);
    const ts = c.t === undefined ? [safest] : range(c.t.from, c.t.to);
    for (const t of ts) {
      if (t > n - 2) {
        skipped.push(`n=${n} t=${t}: t must be at most n-2=${n - 2}`);
        continue;
      }
      if (boundByThirds(c.algorithm) && n <= 3 * t && !c.allowUnsafe) {
        unsafe.push([n, t]);
        skipped.push(`n=${n} t=${t}: n <= 3t; add --allow-unsafe to sweep it`);
        continue;
      }
      const maxTraitors = Math.min(n, c.maxTraitors ?? t);
      // OM shapes stay as they were; SM ones say so (the sweep runs OM unless told).
      shapes.push(
        c.algorithm === 'om' ? { n, t, maxTraitors } : { n, t, maxTraitors, algorithm: c.algorithm },
      );
    }
  }
  if (shapes.length === 0) {
    const [n, t] = unsafe[0] ?? [];
    problems.push(
      n !== undefined && t !== undefined
        ? `--t: ${unsafeBoundMessage(n, t, c.algorithm)}`
        : `--generals/--t: no (n, t) pair to check: ${skipped.join('; ')}`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    shapes,
    skipped,
    workers: c.workers,
    json: c.json,
    allowUnsafe: c.allowUnsafe,
  };
}

/** Worker threads for a sweep of `cost` logical messages: one per core once it is large. */
export function workersFor(cost: number, requested: number | undefined): number {
  if (requested !== undefined) return requested;
  return cost >= LARGE_SWEEP ? Math.max(1, availableParallelism()) : 1;
}

/** About a second of work on one core: below this, starting threads costs more than it saves. */
export const LARGE_SWEEP = 5_000_000;

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}
