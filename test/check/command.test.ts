import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';

/** The real CLI, as a user runs it. */
function byzantine(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('byzantine check', () => {
  test('n > 3t: exit 0, no violation, no counterexample, no progress off a terminal', () => {
    const run = byzantine('check', '--generals', '4..5', '--t', '1', '--json');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    // 2 x (1 + 4x3) + 2 x (1 + 5x3)
    assert.equal(report.cases, 26 + 32);
    assert.equal(report.violations, 0);
    assert.equal(report.counterexample, null);
  });

  test('n = 3t with --allow-unsafe: exit 0, a counterexample and its replay command', () => {
    const run = byzantine('check', '--generals', '6', '--t', '2', '--allow-unsafe', '--json');
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as {
      cases: number;
      violations: number;
      counterexample: { replay: string; traitors: unknown[] };
    };
    assert.equal(report.cases, 2 * (1 + 6 * 3 + 15 * 9));
    assert.ok(report.violations > 0);
    assert.ok(report.counterexample.traitors.length <= 2);
    const replay = report.counterexample.replay.split(' ').slice(1);
    const again = byzantine(...replay, '--json');
    assert.equal(again.status, 1, `${report.counterexample.replay} should fail IC1 or IC2`);
  });

  test('n <= 3t without --allow-unsafe: exit 2 with the bound explained', () => {
    const run = byzantine('check', '--generals', '6', '--t', '2');
    assert.equal(run.status, 2);
    assert.match(run.stderr, /OM\(t\) needs n > 3t/);
  });

  test('--help', () => {
    const run = byzantine('check', '--help');
    assert.equal(run.status, 0);
    assert.match(run.stdout, /--max-traitors/);
  });
});
