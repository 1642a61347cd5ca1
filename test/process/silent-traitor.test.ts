/**
 * A silent traitor over real gRPC: lieutenant 2 of 7 sends nothing in any round, so every other
 * lieutenant's rounds 1..t close on their deadline, and what general 2 withholds counts as missing
 * (held as RETREAT). Agreement still holds: one traitor, t=2, n=7 > 6.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { logicalMessages } from '../../src/core/om/counts.js';
import type { RunResult } from '../../src/run/result.js';
import {
  type CliResult,
  jsonOf,
  lines,
  processesMarked,
  runCli,
  stopEverything,
  tempDir,
} from '../support/process.js';

const N = 7;
const T = 2;
const SILENT = 2;
/**
 * Rounds 1 and 2 wait this long for the silent general. A loaded machine (other work shares this
 * 2-core box) can delay a loyal batch by a second or more; past the deadline it would count as
 * missing too and blur the exact count, so the deadline is generous: the run takes about 2 of them.
 */
const ROUND_TIMEOUT_MS = 2500;

/**
 * Values a silent lieutenant withholds, by hand: in round r it owes each of the n-2 other
 * lieutenants one value per path of length r avoiding both, (n-3)(n-4)...(n-1-r) of them, so it
 * withholds sum over r=1..t of (n-2)(n-3)...(n-1-r). For n=7, t=2: 5 + 5*4 = 25.
 */
function withheldBySilentLieutenant(n: number, t: number): number {
  let total = 0;
  for (let r = 1; r <= t; r++) {
    let product = 1;
    for (let k = n - 2; k >= n - 1 - r; k--) product *= k;
    total += product;
  }
  return total;
}

const logs = tempDir('silent');
let run: CliResult;
let result: RunResult;

before(async () => {
  run = await runCli(
    [
      'local',
      '--generals',
      String(N),
      '--traitors',
      `${SILENT}:silent`,
      '--t',
      String(T),
      '--order',
      'ATTACK',
      '--round-timeout',
      String(ROUND_TIMEOUT_MS),
      '--json',
      '--log-dir',
      logs.path,
    ],
    { timeoutMs: 120_000 },
  );
  result = jsonOf<RunResult>(run);
});

after(async () => {
  await stopEverything([run?.marker ?? '']);
  logs.remove();
});

test('the run finishes, agreement holds, exit 0', () => {
  assert.equal(run.code, 0, `exit status ${run.code}\nstderr:\n${run.stderr}`);
  assert.equal(result.ic1, true);
  assert.equal(result.ic2, true);
  assert.equal(result.consensus, 'ATTACK');
  assert.deepEqual(result.unreachable, []);
  for (const g of result.generals) {
    if (g.id !== 0 && g.id !== SILENT) assert.equal(g.decision, 'ATTACK', `lieutenant ${g.id}`);
  }
});

test("the silent general's values count as missing, exactly", () => {
  assert.equal(withheldBySilentLieutenant(N, T), 25);
  assert.equal(result.messages.expected, logicalMessages(N, T));
  assert.equal(result.messages.expected, 156);
  assert.equal(result.messages.delivered, 156 - 25);
  // Each of the other 5 lieutenants misses 1 value in round 1 and n-3=4 in round 2.
  for (const g of result.generals) {
    if (g.id === 0) continue;
    assert.equal(g.valuesMissing, g.id === SILENT ? 0 : 5, `general ${g.id} values missing`);
    // Missing values are held as RETREAT: the tally still covers all 26 paths.
    assert.equal((g.tally?.attack ?? 0) + (g.tally?.retreat ?? 0), 26, `general ${g.id} tally`);
  }
  const silent = result.generals[SILENT];
  assert.equal(silent?.strategy, 'silent');
  assert.equal(silent?.lies, 25, 'every withheld value is a lie (before: a value, after: nothing)');
  // RPCs: n-1 in round 0, (n-1)(n-2) in each later round, less the silent one's n-2 per round.
  assert.equal(result.rpcs, N - 1 + T * (N - 1) * (N - 2) - T * (N - 2));
});

test('rounds 1..t closed on their deadline, naming the silent sender', () => {
  for (let id = 1; id < N; id++) {
    if (id === SILENT) continue;
    const text = readFileSync(join(logs.path, `general_${id}_intermediate.log`), 'utf8');
    for (let round = 1; round <= T; round++) {
      const closed = lines(text).filter((l) => l.includes(`run=${result.runId} round=${round} closed:`));
      assert.equal(closed.length, 1, `general ${id} round ${round} closes once`);
      assert.match(closed[0] ?? '', /4\/5 batches, deadline passed, missing from 2 /, `general ${id}`);
    }
  }
  const own = readFileSync(join(logs.path, `general_${SILENT}_intermediate.log`), 'utf8');
  assert.match(own, /LIE silent: (ATTACK|RETREAT) -> nothing \(withheld\)/);
});

test('no general process outlives the launcher', () => {
  assert.deepEqual(processesMarked(run.marker), []);
});
