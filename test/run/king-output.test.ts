import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { parseRunConfig } from '../../src/config/config.js';
import { renderHuman } from '../../src/run/render.js';
import type { RunResult } from '../../src/run/result.js';
import { simulate } from '../../src/sim/simulate.js';

function byzantine(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * n=4, t=1, order ATTACK, lieutenant 3 flips. By hand: every x starts ATTACK (3 counts its own
 * message unaltered). In each phase 0, 1 and 2 count c = own A + two loyal A + 3's flipped R = 3/1
 * >= n-t=3 and propose ATTACK; 3 counts 4/0 and proposes ATTACK, sent flipped as RETREAT; so P = 3/1
 * for the loyal ones (P(A) > t: x stays A) and 4/0 for 3. P(x) = 3 >= n-t: the king is not needed.
 * 3 lies in every value and propose message: 2 phases x 6 = 12.
 */
describe('King: the human table and the JSON', () => {
  const result = simulate({
    n: 4,
    t: 1,
    order: 'ATTACK',
    roster: new Map([[3, { kind: 'flip' }]]),
    algorithm: 'king',
    runId: 'sim-king',
  });

  test('the table: x by phase, changes, the last phase c and P and the king round; then each phase and its king', () => {
    const text = renderHuman(result).split('\n');
    assert.deepEqual(text.slice(0, 8), [
      'King(1) with 4 generals, order ATTACK, run sim-king',
      '',
      'general  role        strategy  decision        x by phase  changed  c A/R  P A/R   king round  missing  lies',
      '-------  ----------  --------  --------------  ----------  -------  -----  -----  -----------  -------  ----',
      '0        commander   loyal     (order ATTACK)  A|AA              0    3/1    3/1       kept A        0     0',
      '1        lieutenant  loyal     ATTACK          A|AA              0    3/1    3/1  is the king        0     0',
      '2        lieutenant  loyal     ATTACK          A|AA              0    3/1    3/1       kept A        0     0',
      '3        lieutenant  flip      ATTACK          A|AA              0    4/0    4/0       kept A        0    12',
    ]);
    const phases = text.indexOf("phase  king  king's strategy  king's x  x A/R  loyal x A/R  loyal");
    assert.ok(phases > 0, text.join('\n'));
    assert.deepEqual(text.slice(phases + 2, phases + 4), [
      '1      0     loyal            A           4/0          3/0  agree',
      '2      1     loyal            A           4/0          3/0  agree',
    ]);
    assert.ok(text.includes('IC1 holds: every loyal lieutenant decided alike'));
    assert.match(
      text.at(-1) ?? '',
      /^57 of 57 messages delivered \(propose\(none\) included\) in 57 batches; /,
    );
  });

  test('--json: phases with each king and every x, and per general xByPhase and its last phase', () => {
    const json = JSON.parse(JSON.stringify(result)) as RunResult;
    assert.deepEqual(json.phases, [
      { phase: 1, king: 0, x: ['ATTACK', 'ATTACK', 'ATTACK', 'ATTACK'] },
      { phase: 2, king: 1, x: ['ATTACK', 'ATTACK', 'ATTACK', 'ATTACK'] },
    ]);
    assert.equal(json.generals[3]?.xByPhase, 'AAA');
    assert.deepEqual(json.generals[2]?.lastPhase, {
      phase: 2,
      king: 1,
      start: 'ATTACK',
      values: { attack: 3, retreat: 1 },
      proposal: 'ATTACK',
      proposals: { attack: 3, retreat: 1 },
      kingValue: 'ATTACK',
      tookKing: false,
      x: 'ATTACK',
    });
    assert.deepEqual(json.messages, { expected: 57, delivered: 57 });
    assert.equal(json.algorithm, 'king');
  });

  test('past 12 phases the table shows the last x only: n=40, t=13 has 14 phases', () => {
    const big = simulate({ n: 40, t: 13, order: 'RETREAT', roster: new Map(), algorithm: 'king' });
    const text = renderHuman(big).split('\n');
    assert.match(text[2] ?? '', /decision\s+x last\s+changed/);
    assert.match(
      text[4] ?? '',
      /^0\s+commander\s+loyal\s+\(order RETREAT\)\s+R\s+0\s+0\/40\s+0\/40\s+kept R/,
    );
    assert.ok(text.some((l) => /^14\s+13\s+loyal\s+R\s+0\/40\s+0\/40\s+agree$/.test(l)));
  });
});

describe('King: flags', () => {
  test('without --t, t = floor((N-1)/3); --t up to 66 under king, 20 under om', () => {
    assert.equal(parseRunConfig({ algorithm: 'king', generals: '100' }).t, 33);
    assert.equal(parseRunConfig({ algorithm: 'king', generals: '200', t: '66' }).t, 66);
    assert.throws(
      () => parseRunConfig({ generals: '200', t: '30', allowUnsafe: true }),
      /--t: expected the number of traitors to tolerate, an integer 0\.\.20 under om/,
    );
  });

  test('simulate refuses n <= 3t with the bound explained (exit 2), and runs it with --allow-unsafe (exit 1 here)', () => {
    const refused = byzantine('simulate', '--algorithm', 'king', '--generals', '3', '--t', '1');
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /King\(t\) needs n > 3t \(here 3t=3\).*--allow-unsafe/s);
    const unsafe = byzantine(
      'simulate',
      '--algorithm',
      'king',
      '--generals',
      '3',
      '--t',
      '1',
      '--traitors',
      '0:equivocate',
      '--allow-unsafe',
    );
    assert.equal(unsafe.status, 1, unsafe.stderr);
    assert.match(unsafe.stdout, /warning: n=3 <= 3t=3: King\(1\) guarantees nothing here/);
    assert.match(unsafe.stdout, /IC1 FAILS: loyal lieutenants split, ATTACK: 1; RETREAT: 2/);
  });

  test('--repeat: every drawn run agrees at n=7, t=2, and a failing one would replay with --algorithm king', () => {
    const run = byzantine(
      'simulate',
      '--algorithm',
      'king',
      '--generals',
      '7',
      '--repeat',
      '20',
      '--seed',
      '5',
      '--json',
    );
    assert.equal(run.status, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as {
      repeat: number;
      agreed: number;
      runs: Array<{ replay: string }>;
    };
    assert.deepEqual([summary.repeat, summary.agreed], [20, 20]);
    assert.match(summary.runs[0]?.replay ?? '', /^byzantine simulate --algorithm king --generals 7 --t 2 /);
  });
});
