import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { caseCount, type Shape } from '../../src/check/cases.js';
import { runSweep } from '../../src/check/pool.js';
import { asPredicted, Prediction, predictionFor, replayCommand } from '../../src/check/sweep.js';
import { parseFlags } from '../../src/commands/flags.js';
import { parseCheckConfig } from '../../src/config/check.js';
import { ConfigError } from '../../src/config/config.js';

/** The real CLI, as a user runs it. */
function byzantine(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const king = (n: number, t: number): Shape => ({ n, t, maxTraitors: t, algorithm: 'king' });

describe('check --algorithm king', () => {
  test('without --t, each n gets floor((n-1)/3); n <= 3t needs --allow-unsafe, and is refused with the King bound', () => {
    const config = parseCheckConfig(
      parseFlags(['--algorithm', 'king', '--generals', '4..10'], {
        algorithm: { type: 'string', help: '' },
        generals: { type: 'string', help: '' },
      }),
    );
    assert.deepEqual(
      config.shapes.map((s) => [s.n, s.t, s.algorithm]),
      [4, 5, 6, 7, 8, 9, 10].map((n) => [n, Math.floor((n - 1) / 3), 'king']),
    );
    assert.throws(
      () => parseCheckConfig({ algorithm: 'king', generals: '6', t: '2' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /King\(t\) needs n > 3t \(here 3t=6\)/.test(error.problems.join('\n')),
    );
  });

  test('the theory: none where n > 3t, open where n <= 3t (so finding nothing there is no contradiction)', () => {
    assert.equal(predictionFor(king(4, 1)), Prediction.none);
    assert.equal(predictionFor(king(6, 2)), Prediction.open);
    const nothing = {
      shape: 0,
      cases: 1,
      violations: 0,
      ic1Violations: 0,
      ic2Violations: 0,
      violationsWithinT: 0,
      first: undefined,
    };
    assert.equal(asPredicted(king(6, 2), nothing), true);
    assert.equal(asPredicted(king(4, 1), { ...nothing, violations: 1, violationsWithinT: 1 }), false);
  });

  test('n = 4..7 in process: no violation in 2 x (13 + 16 + 19 + 211) cases', async () => {
    const shapes = [king(4, 1), king(5, 1), king(6, 1), king(7, 2)];
    const tallies = await runSweep(shapes, { workers: 1 });
    assert.deepEqual(
      tallies.map((t) => t.cases),
      [26, 32, 38, 422],
    );
    assert.deepEqual(
      shapes.map((s) => caseCount(s)),
      [26, 32, 38, 422],
    );
    assert.deepEqual(
      tallies.map((t) => t.violations),
      [0, 0, 0, 0],
    );
  });

  test('the CLI at n = 3t: a counterexample at n=3, with a replay that fails again; n=6 finds none, and says why that is fine', () => {
    const run = byzantine(
      'check',
      '--algorithm',
      'king',
      '--generals',
      '3',
      '--t',
      '1',
      '--allow-unsafe',
      '--json',
    );
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as {
      algorithm: string;
      violations: number;
      counterexample: { replay: string; traitors: Array<[number, string]> };
    };
    assert.equal(report.algorithm, 'king');
    assert.ok(report.violations > 0);
    assert.match(
      report.counterexample.replay,
      /^byzantine simulate --algorithm king --generals 3 --t 1 .*--allow-unsafe$/,
    );
    assert.equal(
      replayCommand({
        ...report.counterexample,
        n: 3,
        t: 1,
        algorithm: 'king',
        order: 'ATTACK',
        decisions: [],
        ic1: false,
        ic2: true,
        shape: 0,
        index: 0,
        traitors: [[0, 'equivocate']],
      }),
      'byzantine simulate --algorithm king --generals 3 --t 1 --order ATTACK --traitors 0:equivocate --allow-unsafe',
    );
    const again = byzantine(...report.counterexample.replay.split(' ').slice(1), '--json');
    assert.equal(again.status, 1, `${report.counterexample.replay} should fail IC1 or IC2`);

    const six = byzantine('check', '--algorithm', 'king', '--generals', '6', '--t', '2', '--allow-unsafe');
    assert.equal(six.status, 0, six.stdout);
    assert.match(six.stdout, /6\s+2\s+0\.\.2\s+308\s+0\s+0\s+0\s+open\s+as predicted/);
    assert.match(six.stdout, /yet these strategies did not break it \(n=6 t=2\): no guarantee either/);
  });
});
