import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { caseAt, caseCount, type Shape } from '../../src/check/cases.js';
import { asPredicted, Prediction, predictionFor, replayCommand, sweepSlice } from '../../src/check/sweep.js';
import { parseCheckConfig } from '../../src/config/check.js';

/** The real CLI, as a user runs it. */
function byzantine(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('check --algorithm sm: configuration', () => {
  test('without --t, t = n-2 for each n, and no pair needs --allow-unsafe', () => {
    const config = parseCheckConfig({ generals: '3..5', algorithm: 'sm' });
    assert.deepEqual(
      config.shapes.map((s) => [s.n, s.t, s.maxTraitors, s.algorithm]),
      [
        [3, 1, 1, 'sm'],
        [4, 2, 2, 'sm'],
        [5, 3, 3, 'sm'],
      ],
    );
    assert.deepEqual(config.skipped, []);
  });

  test('n <= 3t is fine under SM; t > n-2 is still skipped', () => {
    const config = parseCheckConfig({ generals: '4', t: '1..3', algorithm: 'sm' });
    assert.deepEqual(
      config.shapes.map((s) => [s.n, s.t]),
      [
        [4, 1],
        [4, 2],
      ],
    );
    assert.equal(config.skipped.length, 1);
    assert.match(config.skipped[0] ?? '', /n=4 t=3/);
  });

  test('OM stays the default, its shapes unchanged', () => {
    assert.deepEqual(parseCheckConfig({ generals: '6', t: '2', allowUnsafe: true }).shapes, [
      { n: 6, t: 2, maxTraitors: 2 },
    ]);
  });
});

describe('check --algorithm sm: the sweep', () => {
  const shape: Shape = { n: 4, t: 2, maxTraitors: 2, algorithm: 'sm' };

  test('SM shapes are predicted clean wherever n >= t+2, even n <= 3t', () => {
    assert.equal(predictionFor(shape), Prediction.none);
    assert.equal(predictionFor({ n: 4, t: 2, maxTraitors: 2 }), Prediction.some, 'OM(2) with 4 is not');
  });

  test('n=4, t=2: 2 x (1 + 4x3 + 6x9) = 134 cases, every one clean; cases carry the algorithm', () => {
    assert.equal(caseCount(shape), 134);
    assert.equal(caseAt(shape, 133).algorithm, 'sm');
    const tally = sweepSlice([shape], 0, 0, 134);
    assert.equal(tally.cases, 134);
    assert.equal(tally.violations, 0);
    assert.ok(asPredicted(shape, tally));
  });

  test('beyond t traitors SM promises nothing, and the sweep does not judge it', () => {
    const beyond: Shape = { n: 3, t: 0, maxTraitors: 3, algorithm: 'sm' };
    const tally = sweepSlice([beyond], 0, 0, caseCount(beyond));
    assert.equal(tally.violationsWithinT, 0);
    assert.ok(tally.violations > 0, 'an equivocating commander with t=0 splits lieutenants 1 and 2');
    assert.ok(asPredicted(beyond, tally));
  });

  test('a replay command names the algorithm and needs no --allow-unsafe', () => {
    const replay = replayCommand({
      n: 4,
      t: 2,
      algorithm: 'sm',
      order: 'ATTACK',
      traitors: [
        [0, 'equivocate'],
        [3, 'flip'],
      ],
      decisions: [],
      ic1: true,
      ic2: true,
      shape: 0,
      index: 0,
    });
    assert.equal(
      replay,
      'byzantine simulate --algorithm sm --generals 4 --t 2 --order ATTACK --traitors 0:equivocate,3:flip',
    );
  });
});

describe('SM through the CLI', () => {
  test('check --algorithm sm --generals 3..4: 20 + 134 cases, no violation, exit 0', () => {
    const run = byzantine('check', '--algorithm', 'sm', '--generals', '3..4', '--json');
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    // n=3, t=1: 2 x (1 + 3x3); n=4, t=2: 2 x (1 + 4x3 + 6x9).
    assert.equal(report.cases, 20 + 134);
    assert.equal(report.violations, 0);
    assert.equal(report.algorithm, 'sm');
    assert.equal(report.asPredicted, true);
  });

  test('simulate --algorithm sm, n=4, t=2, two-faced commander, flipping lieutenant 3: agrees, exit 0', () => {
    const args = ['--generals', '4', '--t', '2', '--traitors', '0:equivocate,3:flip', '--json'];
    const run = byzantine('simulate', '--algorithm', 'sm', ...args);
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.equal(result.algorithm, 'sm');
    assert.equal(result.ic1, true);
    assert.equal(result.ic2, true);
    // Hand count (see test/core/sm-sweep.test.ts): 3 + 6 + 3 chains sent, 3 of them tampered.
    assert.deepEqual(result.messages, { expected: 12, delivered: 9, invalid: 3 });
    // Round 0: 3 RPCs; rounds 1 and 2: each of 3 lieutenants to the 2 others.
    assert.equal(result.rpcs, 3 + 2 * 3 * 2);
    // The same run under OM is refused before it starts.
    const om = byzantine('simulate', ...args);
    assert.equal(om.status, 2);
    assert.match(om.stderr, /--algorithm sm/);
  });

  test('simulate --help names both algorithms', () => {
    const run = byzantine('simulate', '--help');
    assert.equal(run.status, 0);
    assert.match(run.stdout, /--algorithm/);
    assert.match(run.stdout, /SM\(t\)/);
  });
});
