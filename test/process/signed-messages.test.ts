/**
 * SM(t) between real general processes over gRPC, signed with the ephemeral keys `local` makes:
 * n=4, t=2 (where OM(2) cannot even be run) with a two-faced commander and a lieutenant that tampers
 * with every chain it relays. Counts derived by hand in the comments below.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { rpcsExpected } from '../../src/core/om/counts.js';
import { intermediateLogPath } from '../../src/log/general-log.js';
import { listRuns, readEventLogs, traceFromLogs } from '../../src/report/from-logs.js';
import { buildReport } from '../../src/report/model.js';
import type { RunResult } from '../../src/run/result.js';
import { type CliResult, jsonOf, runCli, stopEverything, tempDir } from '../support/process.js';

const SM_ARGS = ['local', '--algorithm', 'sm', '--generals', '4', '--t', '2', '--order', 'ATTACK'];
/** Every general is alive, so no round waits on this; it only keeps a loaded machine from losing batches. */
const DEADLINE_ARGS = ['--round-timeout', '10000'];

const logs = tempDir('sm-logs');
const reportFile = join(logs.path, 'sm-report.html');
const markers: string[] = [];
let run: CliResult;
let result: RunResult;

before(async () => {
  run = await runCli(
    [
      ...SM_ARGS,
      ...DEADLINE_ARGS,
      '--traitors',
      '0:equivocate,3:flip',
      '--json',
      '--log-dir',
      logs.path,
      '--report',
      reportFile,
    ],
    { timeoutMs: 120_000 },
  );
  markers.push(run.marker);
  result = jsonOf<RunResult>(run);
});

after(async () => {
  await stopEverything(markers);
  logs.remove();
});

describe('local --algorithm sm, n=4 t=2, two-faced commander, lieutenant 3 flips', () => {
  test('agrees: exit 0, IC1 holds, the loyal lieutenants 1 and 2 decide alike', () => {
    assert.equal(run.code, 0, run.stderr);
    assert.equal(result.algorithm, 'sm');
    assert.equal(result.ic1, true);
    const decisions = result.generals.filter((g) => g.id === 1 || g.id === 2).map((g) => g.decision);
    assert.equal(decisions.length, 2);
    assert.equal(decisions[0], decisions[1]);
    // Each saw both orders with valid chains (the commander signed both), so choice(V) = RETREAT.
    assert.equal(decisions[0], 'RETREAT');
  });

  test('exact counts: 12 chains sent, 3 tampered ones caught, 9 valid, in 15 RPCs', () => {
    // Round 0: 3 orders. Round 1: each lieutenant relays its order to the 2 others (6; 3's 2 are
    // tampered). Round 2: each relays the value it first saw in round 1 to the one lieutenant not in
    // the chain (3; 3's one is tampered). Every lieutenant sends every batch, empty or not.
    assert.deepEqual(result.messages, { expected: 12, delivered: 9, invalid: 3 });
    assert.equal(result.rpcs, rpcsExpected(4, 2));
    assert.equal(rpcsExpected(4, 2), 15);
  });

  test("the loyal lieutenants' logs name each tampered chain they ignored", () => {
    const ignored = (id: number) =>
      readFileSync(intermediateLogPath(logs.path, id), 'utf8')
        .split('\n')
        .filter((line) => line.includes('IGNORED'));
    // 1 got 0.3 (round 1) and 0.2.3 (round 2) from 3; 2 got 0.3 only.
    assert.deepEqual(
      ignored(1).map((line) => /chain=([\d.]+)/.exec(line)?.[1]),
      ['0.3', '0.2.3'],
    );
    assert.deepEqual(
      ignored(2).map((line) => /chain=([\d.]+)/.exec(line)?.[1]),
      ['0.3'],
    );
    assert.match(readFileSync(intermediateLogPath(logs.path, 1), 'utf8'), /start algorithm=sm n=4 t=2/);
  });
});

describe("the report of an SM run, from the generals' logs", () => {
  test('--report wrote an SM(2) page', () => {
    assert.ok(existsSync(reportFile), run.stderr);
    assert.match(readFileSync(reportFile, 'utf8'), /<title>SM\(2\) among 4 generals, order ATTACK/);
  });

  test("lists it as sm and reads back each lieutenant's chains, V and choice(V)", () => {
    const events = readEventLogs(logs.path);
    assert.deepEqual(
      listRuns(events).map((r) => r.algorithm),
      ['sm'],
    );
    const model = buildReport(traceFromLogs(events));
    assert.equal(model.algorithm, 'sm');
    // The same chains as in memory (test/report/sm-model.test.ts): 1 ignores 0.3 and 0.2.3, 2 ignores 0.3.
    const chains = (id: number) =>
      model.chainViews
        .find((v) => v.lieutenant === id)
        ?.chains.map(
          (c) => `${c.signers}:${c.value}${c.valid ? '' : ' IGNORED'}${c.lie === undefined ? '' : ' lie'}`,
        );
    assert.deepEqual(chains(1), ['0:A', '0.2:R', '0.3:R IGNORED lie', '0.2.3:A IGNORED lie']);
    assert.deepEqual(chains(2), ['0:R lie', '0.1:A', '0.3:R IGNORED lie']);
    assert.deepEqual(chains(3), ['0:A', '0.1:A', '0.2:R', '0.2.1:R', '0.1.2:A']);
    for (const id of [1, 2]) {
      const view = model.chainViews.find((v) => v.lieutenant === id);
      assert.deepEqual(view?.v, ['ATTACK', 'RETREAT']);
      assert.equal(view?.decision, 'RETREAT');
    }
    assert.deepEqual(
      [model.counts.batches, model.counts.values, model.counts.invalid, model.counts.lies],
      [15, 12, 3, 4],
    );
    assert.deepEqual(model.warnings, []);
    assert.equal(model.verdict.consensus, 'RETREAT');
  });
});

describe('local --algorithm sm refusals', () => {
  test('--auth off is refused before anything starts: SM needs keys', async () => {
    const refused = await runCli([...SM_ARGS, '--auth', 'off'], { timeoutMs: 60_000 });
    markers.push(refused.marker);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--auth: off cannot run --algorithm sm/);
  });

  test('the same n and t under OM is refused with the bound, pointing at sm', async () => {
    const refused = await runCli(['local', '--generals', '4', '--t', '2'], { timeoutMs: 60_000 });
    markers.push(refused.marker);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /needs n > 3t.*--algorithm sm/s);
  });
});
