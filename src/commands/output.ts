import { boundByThirds } from '../config/config.js';
import { type Algorithm, algorithmName } from '../core/algorithm.js';
import { formatStrategy } from '../core/strategy.js';
import { renderHuman, renderJson } from '../run/render.js';
import type { Roster, RunResult } from '../run/result.js';
import { exitCodeOf } from '../run/result.js';

/** Prints the result as the user asked and returns the exit status it implies. */
export function printResult(result: RunResult, json: boolean): number {
  process.stdout.write(`${json ? renderJson(result) : renderHuman(result)}\n`);
  return exitCodeOf(result);
}

/** Seeds drawn for `random` traitors, so the run can be replayed. */
export function announceSeeds(roster: Roster, json: boolean): void {
  if (json) return;
  const drawn = [...roster].filter(([, s]) => s.kind === 'random');
  if (drawn.length === 0) return;
  const list = drawn.map(([id, s]) => `${id}:${formatStrategy(s)}`).join(',');
  process.stderr.write(`random traitors: ${list} (replay with --traitors ${list})\n`);
}

export function warnShape(
  n: number,
  t: number,
  traitors: number,
  json: boolean,
  algorithm: Algorithm = 'om',
): void {
  if (json) return;
  if (boundByThirds(algorithm) && n <= 3 * t) {
    process.stderr.write(`warning: running with n=${n} <= 3t=${3 * t} (--allow-unsafe)\n`);
  }
  if (traitors > t) {
    const name = algorithmName(algorithm, t);
    process.stderr.write(
      `warning: ${traitors} traitors but t=${t}: ${name} guarantees nothing with more than t\n`,
    );
  }
}
