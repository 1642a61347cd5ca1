/**
 * The ancestor's example end to end through the CLI: `byzantine local` spawns ten general
 * processes on loopback, runs OM(3) over real gRPC with traitors 3, 4 and 7 (equivocate), and stops
 * them. Checked: the JSON result with its exact counts, the human table and verdict, the logs, and
 * that no process outlives the launcher.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { logicalMessages, rpcsExpected, valuesPerLieutenant } from '../../src/core/om/counts.js';
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

const N = 10;
const T = 3;
const TRAITORS = [3, 4, 7];
const SEED_ARGS = ['local', '--generals', '10', '--traitors', '3,4,7', '--order', 'ATTACK', '--t', '3'];
const RUN_TIMEOUT_MS = 120_000;
/**
 * With every general alive a run never waits on a round deadline (a round ends when all its batches
 * are in), so the deadline changes nothing here but what a loaded machine can do: with the default
 * 1 s, a general held back for a second (other work shares this 2-core box) would have its batches
 * counted as missing, and the exact counts asserted below would depend on the machine's load.
 */
const DEADLINE_ARGS = ['--round-timeout', '10000'];

const jsonLogs = tempDir('seed-json');
/** The --json run's TMPDIR, where `local` makes its ephemeral keys. */
const jsonTmp = tempDir('seed-tmp');
const humanLogs = tempDir('seed-human');
const markers: string[] = [];
let json: CliResult;
let result: RunResult;
let human: CliResult;

before(async () => {
  json = await runCli([...SEED_ARGS, ...DEADLINE_ARGS, '--json', '--log-dir', jsonLogs.path], {
    timeoutMs: RUN_TIMEOUT_MS,
    env: { TMPDIR: jsonTmp.path },
  });
  markers.push(json.marker);
  human = await runCli([...SEED_ARGS, ...DEADLINE_ARGS, '--log-dir', humanLogs.path], {
    timeoutMs: RUN_TIMEOUT_MS,
  });
  markers.push(human.marker);
  result = jsonOf<RunResult>(json);
});

after(async () => {
  await stopEverything(markers);
  jsonLogs.remove();
  jsonTmp.remove();
  humanLogs.remove();
});

describe('local, the seed example, --json', () => {
  test('exits 0 and prints one JSON object', () => {
    assert.equal(json.code, 0, `exit status ${json.code}\nstderr:\n${json.stderr}`);
    assert.equal(lines(json.stdout).length, 1);
    assert.equal(typeof result, 'object');
  });

  test('n, t, the verdict and the consensus', () => {
    assert.equal(result.n, N);
    assert.equal(result.t, T);
    assert.equal(result.order, 'ATTACK');
    assert.equal(result.ic1, true);
    assert.equal(result.ic2, true);
    assert.equal(result.consensus, 'ATTACK');
    assert.deepEqual(result.unreachable, []);
  });

  test('exact counts: 3,609 logical messages delivered in 225 batches', () => {
    assert.equal(logicalMessages(N, T), 3609);
    assert.equal(rpcsExpected(N, T), 225);
    assert.deepEqual(result.messages, { expected: 3609, delivered: 3609 });
    // (n-1) in round 0, then (n-1)(n-2) in each of rounds 1..t.
    assert.equal(result.rpcs, N - 1 + T * (N - 1) * (N - 2));
    assert.equal(result.rpcs, 225);
  });

  test('generals: traitors exactly 3, 4, 7; every lieutenant holds 401 values; loyal ones decide ATTACK', () => {
    assert.equal(result.generals.length, N);
    assert.equal(valuesPerLieutenant(N, T), 401);
    for (const [id, g] of result.generals.entries()) {
      assert.equal(g.id, id);
      assert.equal(g.traitor, TRAITORS.includes(id), `general ${id} traitor flag`);
      assert.equal(g.strategy, TRAITORS.includes(id) ? 'equivocate' : 'loyal', `general ${id} strategy`);
      assert.equal(g.reachable, true, `general ${id} reachable`);
      if (id === 0) continue;
      assert.equal(g.valuesReceived, 401, `general ${id} values received`);
      assert.equal(g.valuesMissing, 0, `general ${id} values missing`);
      assert.equal((g.tally?.attack ?? 0) + (g.tally?.retreat ?? 0), 401, `general ${id} tally`);
      if (!g.traitor) assert.equal(g.decision, 'ATTACK', `loyal lieutenant ${id} decision`);
    }
    for (const id of TRAITORS) assert.ok((result.generals[id]?.lies ?? 0) > 0, `traitor ${id} lied`);
  });

  test('no general process outlives the launcher', () => {
    assert.deepEqual(processesMarked(json.marker), []);
  });

  test('the generals authenticated with ephemeral keys, removed once they stopped', () => {
    const text = readFileSync(join(jsonLogs.path, 'general_1_events.jsonl'), 'utf8');
    assert.match(text, /"type":"notice".*"auth":"on"/);
    assert.deepEqual(
      readdirSync(jsonTmp.path).filter((name) => name.startsWith('byzantine-keys-')),
      [],
    );
  });

  test("every general's intermediate log names the run", () => {
    for (let id = 0; id < N; id++) {
      const file = join(jsonLogs.path, `general_${id}_intermediate.log`);
      assert.ok(existsSync(file), `${file} exists`);
      assert.match(readFileSync(file, 'utf8'), new RegExp(`run=${result.runId}\\b`), `general ${id} log`);
    }
  });

  test("traitors' lies are logged with the value before and after, one line per lie", () => {
    const lie = new RegExp(
      `^\\S+ run=${result.runId} round=(\\d+) to=(\\d+) path=[\\d>]+ LIE equivocate: (ATTACK|RETREAT) -> (ATTACK|RETREAT)$`,
    );
    for (let id = 0; id < N; id++) {
      const text = readFileSync(join(jsonLogs.path, `general_${id}_intermediate.log`), 'utf8');
      const lies = lines(text).filter((line) => line.includes(' LIE '));
      if (!TRAITORS.includes(id)) {
        assert.deepEqual(lies, [], `loyal general ${id} logs no lie`);
        continue;
      }
      assert.equal(lies.length, result.generals[id]?.lies, `traitor ${id}: a log line per lie`);
      for (const line of lies) {
        const match = lie.exec(line);
        assert.ok(match, `lie line format: ${line}`);
        const [, , to, before, after] = match;
        assert.notEqual(before, after, line);
        assert.equal(Number(to) % 2, 0, `equivocate lies only to even receivers: ${line}`);
      }
    }
  });

  test('each general logs a line per batch it sent: the commander ISSUED 9, each lieutenant FORWARDED 24, every value with its path', () => {
    // Derived by hand from the run's exact counts: in round 0 the commander sends one batch of one
    // value, (0), to each of the n-1 = 9 lieutenants; in each round r = 1..3 a lieutenant sends one
    // batch to each of the n-2 = 8 other lieutenants, holding a value per path of length r that
    // avoids both: 1 in round 1, n-3 = 7 in round 2, (n-3)(n-4) = 42 in round 3. So 24 batches and
    // 8 x (1 + 7 + 42) = 400 values a lieutenant, 9 + 9 x 24 = 225 batches and 9 + 9 x 400 = 3,609
    // values in all. A lieutenant holds 401 values, so `auto` writes every value with its path.
    const valuesInRound = [1, 1, 7, 42];
    const sent = new RegExp(
      `^\\S+ run=${result.runId} round=(\\d+) to=(\\d+) (ISSUED|FORWARDED) (\\d+) values?: (.+)$`,
    );
    const received = (id: number) => {
      const held = new Map<string, string>();
      const text = readFileSync(join(jsonLogs.path, `general_${id}_intermediate.log`), 'utf8');
      for (const line of lines(text)) {
        const match = / round=\d+ from=(\d+) path=([\d>]+) value=(ATTACK|RETREAT)$/.exec(line);
        if (match && line.includes(`run=${result.runId} `))
          held.set(`${match[1]} ${match[2]}`, match[3] ?? '');
      }
      return held;
    };
    const holdings = Array.from({ length: N }, (_, id) =>
      id === 0 ? new Map<string, string>() : received(id),
    );
    let batches = 0;
    let values = 0;
    for (let id = 0; id < N; id++) {
      const text = readFileSync(join(jsonLogs.path, `general_${id}_intermediate.log`), 'utf8');
      const forwarded = lines(text)
        .filter((line) => / (ISSUED|FORWARDED) /.test(line))
        .map((line) => {
          const match = sent.exec(line);
          assert.ok(match, `general ${id}: a line per batch sent, with its values: ${line}`);
          const [, round, to, verb, count, list] = match;
          const pairs = (list ?? '').split(' ').map((pair) => pair.split('='));
          return { round: Number(round), to: Number(to), verb, count: Number(count), pairs };
        });
      const lieutenantsBut = (self: number) => [...Array(N).keys()].filter((j) => j !== 0 && j !== self);
      if (id === 0) {
        assert.equal(forwarded.length, N - 1, 'the commander issues one batch per lieutenant');
        assert.deepEqual(
          forwarded.map((f) => f.to).sort((a, b) => a - b),
          lieutenantsBut(0),
        );
        for (const f of forwarded) {
          assert.deepEqual([f.round, f.verb, f.count, f.pairs], [0, 'ISSUED', 1, [['0', 'ATTACK']]]);
        }
      } else {
        assert.equal(forwarded.length, T * (N - 2), `lieutenant ${id} forwards 24 batches`);
        for (let round = 1; round <= T; round++) {
          const inRound = forwarded.filter((f) => f.round === round);
          assert.deepEqual(
            inRound.map((f) => f.to).sort((a, b) => a - b),
            lieutenantsBut(id),
            `lieutenant ${id} round ${round}: one batch to every other lieutenant`,
          );
          for (const f of inRound) {
            assert.equal(f.verb, 'FORWARDED');
            assert.equal(f.count, valuesInRound[round], `lieutenant ${id} round ${round} to ${f.to}: values`);
            assert.equal(f.pairs.length, f.count, 'every value is written, with its path');
            for (const [path = '', value = ''] of f.pairs) {
              const ids = path.split('>').map(Number);
              // The path the receiver holds the value under: from the commander, through r relays, to this one.
              assert.equal(ids.length, round + 1, path);
              assert.equal(ids[0], 0, path);
              assert.equal(ids.at(-1), id, path);
              assert.ok(!ids.includes(f.to), `${path} avoids its receiver ${f.to}`);
              // The receiver logged the very value under the very path.
              assert.equal(
                holdings[f.to]?.get(`${id} ${path}`),
                value,
                `general ${f.to} received ${path}=${value}`,
              );
              // What a lieutenant relays for s+i is what it holds for s: as held if loyal; an
              // equivocating traitor flips it for even receivers only.
              const heldValue = holdings[id]?.get(`${ids.at(-2)} ${ids.slice(0, -1).join('>')}`);
              const flips = TRAITORS.includes(id) && f.to % 2 === 0;
              const expected = flips ? (heldValue === 'ATTACK' ? 'RETREAT' : 'ATTACK') : heldValue;
              assert.equal(value, expected, `general ${id} relays ${path} to ${f.to}`);
            }
          }
        }
      }
      batches += forwarded.length;
      values += forwarded.reduce((sum, f) => sum + f.count, 0);
    }
    assert.equal(batches, 225);
    assert.equal(values, 3609);
  });

  test('every events log is JSON lines, with the run and each lieutenant decision', () => {
    for (let id = 0; id < N; id++) {
      const file = join(jsonLogs.path, `general_${id}_events.jsonl`);
      assert.ok(existsSync(file), `${file} exists`);
      const events = lines(readFileSync(file, 'utf8')).map((line, i) => {
        try {
          return JSON.parse(line) as { general: number; type: string; run?: string; decision?: string };
        } catch (error) {
          throw new Error(`${file} line ${i + 1} is not JSON: ${line}`, { cause: error });
        }
      });
      assert.ok(events.length > 0, `${file} has events`);
      for (const e of events) assert.equal(e.general, id);
      assert.ok(
        events.some((e) => e.type === 'run-started' && e.run === result.runId),
        `general ${id} run-started`,
      );
      if (id !== 0) {
        const decided = events.filter((e) => e.type === 'decided' && e.run === result.runId);
        assert.equal(decided.length, 1, `general ${id} decided once`);
        if (!TRAITORS.includes(id)) assert.equal(decided[0]?.decision, 'ATTACK');
      }
    }
  });
});

describe('local, the seed example, human output', () => {
  test('exits 0', () => {
    assert.equal(human.code, 0, `exit status ${human.code}\nstderr:\n${human.stderr}`);
  });

  test("a table row per general with its tally, equal to the --json run's (strategies are deterministic)", () => {
    const row = /^\s*(\d+)\s+(commander|lieutenant)\s+(\S+)\s+(.+?)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/;
    const rows = new Map<number, RegExpExecArray>();
    for (const line of lines(human.stdout)) {
      const match = row.exec(line);
      if (match) rows.set(Number(match[1]), match);
    }
    assert.deepEqual([...rows.keys()], [...Array(N).keys()], `a row per general in:\n${human.stdout}`);
    for (const [id, match] of rows) {
      const [, , role, strategy, decision, attack, retreat, missing] = match;
      const expected = result.generals[id];
      assert.equal(role, id === 0 ? 'commander' : 'lieutenant');
      assert.equal(strategy, TRAITORS.includes(id) ? 'equivocate' : 'loyal');
      if (id === 0) {
        assert.match(decision ?? '', /ATTACK/);
        continue;
      }
      assert.equal(decision, expected?.decision, `general ${id} decision`);
      assert.equal(Number(attack), expected?.tally?.attack, `general ${id} ATTACK tally`);
      assert.equal(Number(retreat), expected?.tally?.retreat, `general ${id} RETREAT tally`);
      assert.equal(Number(attack) + Number(retreat), 401);
      assert.equal(Number(missing), 0);
    }
  });

  test('IC1 holds, IC2 holds, Final consensus reached: ATTACK, and the counts', () => {
    assert.match(human.stdout, /^IC1 holds/m);
    assert.match(human.stdout, /^IC2 holds/m);
    assert.match(human.stdout, /^Final consensus reached: ATTACK$/m);
    assert.match(human.stdout, /3,609 of 3,609 logical messages delivered in 225 batches/);
  });

  test('no general process outlives the launcher', () => {
    assert.deepEqual(processesMarked(human.marker), []);
  });
});
