/**
 * What a general says while it works, on the seed example (10 generals, traitors 3, 4 and 7
 * equivocating, ATTACK, t=3) run by real general processes over mutual TLS: its progress on stdout
 * (text, json, and debug's line per batch) and a scrape of its /metrics, against the run's exact
 * message counts derived by hand below.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { freePorts } from '../../src/local/cluster.js';
import { runOnCluster, waitForGenerals } from '../../src/net/cluster-client.js';
import { PeerClients } from '../../src/net/peers.js';
import { type RunResult, summarize } from '../../src/run/result.js';
import { asClient, keyEnv, testKeys } from '../support/keys.js';
import {
  type GeneralProcess,
  jsonOf,
  lines,
  runCli,
  startGeneral,
  stopEverything,
  tempDir,
} from '../support/process.js';

const N = 10;
const T = 3;
const TRAITORS = [3, 4, 7];
/** Progress as one JSON object per line from these; the others print text. */
const JSON_GENERALS = [2, 3];
/** LOG_LEVEL=debug: a line per batch too. */
const DEBUG_GENERAL = 5;

// Derived by hand. Round 0: the commander sends one batch of one value to each of the 9
// lieutenants. Rounds r = 1..3: each lieutenant sends one batch to each of the 8 others, with one
// value per path of length r avoiding both: 1, 7 (= n-3) and 42 (= (n-3)(n-4)) values.
const LIEUTENANTS = N - 1;
const BATCHES_SENT_BY_LIEUTENANT = T * (N - 2); // 24
const VALUES_SENT_BY_LIEUTENANT = (N - 2) * (1 + (N - 3) + (N - 3) * (N - 4)); // 8 x (1 + 7 + 42) = 400
const BATCHES_RECEIVED_BY_LIEUTENANT = 1 + T * (N - 2); // 25
const VALUES_HELD_BY_LIEUTENANT = 1 + VALUES_SENT_BY_LIEUTENANT; // 401: the order, then what 8 others relay
const BATCHES_EXPECTED_IN_ROUND = [1, N - 2, N - 2, N - 2];
/**
 * An equivocating traitor lies in every value it sends to an even lieutenant (the opposite of what
 * a loyal general would send) and never to an odd one: 50 values (1 + 7 + 42) to each even
 * lieutenant other than itself (2, 4, 6, 8).
 */
const liesOf = (id: number) =>
  TRAITORS.includes(id) ? [2, 4, 6, 8].filter((j) => j !== id).length * (1 + 7 + 42) : 0;

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** The samples of a Prometheus text exposition, as written by hand here rather than by the library. */
function samplesOf(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of lines(text)) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(match, `an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"/g)) {
      labels[pair[1] ?? ''] = pair[2] ?? '';
    }
    samples.push({ name: match[1] ?? '', labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of `name`'s samples whose labels include `where`; 0 when there are none. */
function sum(samples: readonly Sample[], name: string, where: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((total, s) => total + s.value, 0);
}

/** Resolves once the general has printed a line matching `pattern`; with what it matched. */
function printed(general: GeneralProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const look = () => {
      const match = pattern.exec(general.output());
      if (match === null) return false;
      general.child.stdout?.off('data', onData);
      resolve(match);
      return true;
    };
    const onData = () => {
      look();
    };
    if (look()) return;
    general.child.stdout?.on('data', onData);
    general.exited.then(() => {
      if (!look()) reject(new Error(`general exited before printing ${pattern}:\n${general.output()}`));
    });
  });
}

describe('a general says what it does: stdout progress and /metrics, after the seed example', () => {
  const logs = tempDir('observability');
  let keys: { path: string; remove: () => void };
  const generals: GeneralProcess[] = [];
  const scrapes: Sample[][] = [];
  const outputs: string[] = [];
  let exposition = { contentType: '', status: 0, notFound: 0 };
  let result: RunResult;

  before(async () => {
    keys = await testKeys(N);
    const ports = await freePorts(N);
    const peers = ports.map((port) => `127.0.0.1:${port}`).join(',');
    for (let id = 0; id < N; id++) {
      generals.push(
        await startGeneral({
          ID: String(id),
          PEERS: peers,
          PORT: String(ports[id]),
          HOST: '127.0.0.1',
          LOG_DIR: logs.path,
          // Generous: with every general alive no round waits on it; it only absorbs a loaded machine.
          ROUND_TIMEOUT_MS: '10000',
          TRAITOR: TRAITORS.includes(id) ? 'equivocate' : 'false',
          METRICS_PORT: '0',
          LOG_FORMAT: JSON_GENERALS.includes(id) ? 'json' : 'text',
          LOG_LEVEL: id === DEBUG_GENERAL ? 'debug' : 'info',
          ...keyEnv(keys.path, id),
        }),
      );
    }
    const metricsPorts = await Promise.all(
      generals.map(async (g) => Number((await printed(g, /metrics on http:\/\/[^\s:"]+:(\d+)\/metrics/))[1])),
    );
    const client = new PeerClients(
      ports.map((port) => ({ host: '127.0.0.1', port })),
      asClient(keys.path, N),
    );
    try {
      await waitForGenerals(client, 60_000);
      const roster = new Map(TRAITORS.map((id) => [id, { kind: 'equivocate' } as const]));
      result = summarize(await runOnCluster(client, { n: N, t: T, order: 'ATTACK', roster }));
    } finally {
      client.close();
    }
    for (const port of metricsPorts) {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      exposition = {
        contentType: response.headers.get('content-type') ?? '',
        status: response.status,
        notFound: exposition.notFound,
      };
      scrapes.push(samplesOf(await response.text()));
    }
    exposition.notFound = (await fetch(`http://127.0.0.1:${metricsPorts[0]}/other`)).status;
    // Stopped before their stdout is read: what a general printed is all there once it has exited.
    await stopEverything(generals.map((g) => g.marker));
    for (const g of generals) outputs.push(g.output());
  });

  after(async () => {
    await stopEverything(generals.map((g) => g.marker));
    keys?.remove();
    logs.remove();
  });

  test('the run itself: IC1, IC2, ATTACK, 3,609 values in 225 batches', () => {
    assert.equal(result.ic1, true);
    assert.equal(result.ic2, true);
    assert.equal(result.consensus, 'ATTACK');
    assert.deepEqual(result.messages, { expected: 3609, delivered: 3609 });
    assert.equal(result.rpcs, 225);
  });

  describe('/metrics', () => {
    test('answers in the Prometheus text format, and 404 off its path', () => {
      assert.equal(exposition.status, 200);
      assert.match(exposition.contentType, /^text\/plain; version=0\.0\.4/);
      assert.equal(exposition.notFound, 404);
    });

    test("every general's counts match the run's, as derived by hand", () => {
      scrapes.forEach((samples, id) => {
        const at = `general ${id}`;
        for (const s of samples)
          assert.equal(s.labels.general, String(id), `${at}: ${s.name} names its general`);
        const commander = id === 0;
        assert.equal(sum(samples, 'byzantine_runs_joined_total', { algorithm: 'om' }), 1, at);
        assert.equal(sum(samples, 'byzantine_runs_decided_total'), commander ? 0 : 1, `${at} decided`);
        if (!commander && !TRAITORS.includes(id)) {
          assert.equal(sum(samples, 'byzantine_runs_decided_total', { decision: 'ATTACK' }), 1, at);
        }
        assert.equal(
          sum(samples, 'byzantine_batches_sent_total', { result: 'accepted' }),
          commander ? LIEUTENANTS : BATCHES_SENT_BY_LIEUTENANT,
          `${at} batches sent`,
        );
        assert.equal(sum(samples, 'byzantine_batches_sent_total', { result: 'failed' }), 0, at);
        assert.equal(
          sum(samples, 'byzantine_values_sent_total'),
          commander ? LIEUTENANTS : VALUES_SENT_BY_LIEUTENANT,
          `${at} values sent`,
        );
        assert.equal(
          sum(samples, 'byzantine_batches_received_total'),
          commander ? 0 : BATCHES_RECEIVED_BY_LIEUTENANT,
          `${at} batches received`,
        );
        assert.equal(
          sum(samples, 'byzantine_values_received_total'),
          commander ? 0 : VALUES_HELD_BY_LIEUTENANT,
          `${at} values received`,
        );
        assert.equal(sum(samples, 'byzantine_batches_rejected_total'), 0, `${at} rejected nothing`);
        assert.equal(sum(samples, 'byzantine_lies_total'), liesOf(id), `${at} lies`);
        assert.equal(sum(samples, 'byzantine_rounds_timed_out_total'), 0, `${at} rounds timed out`);
        assert.equal(
          sum(samples, 'byzantine_round_duration_seconds_count'),
          commander ? 0 : T + 1,
          `${at} rounds closed`,
        );
        assert.equal(sum(samples, 'byzantine_runs_in_progress'), 0, `${at} runs in progress`);
        // Streams that carried batches are open: the commander's to every lieutenant, and every
        // lieutenant's from all nine others. (Nobody sends to the commander, so whether a
        // lieutenant's stream to it is answered yet depends on when the commander started.)
        const out = sum(samples, 'byzantine_peer_streams_open', { direction: 'out' });
        const into = sum(samples, 'byzantine_peer_streams_open', { direction: 'in' });
        if (commander) assert.equal(out, N - 1, `${at} streams out`);
        else {
          assert.equal(into, N - 1, `${at} streams in`);
          assert.ok(out >= N - 2 && out <= N - 1, `${at} streams out: ${out}`);
        }
      });
    });

    test('the totals are the run: 225 batches, 3,609 values, each way; the lies are what GetDecision reports', () => {
      const total = (name: string, where: Record<string, string> = {}) =>
        scrapes.reduce((acc, samples) => acc + sum(samples, name, where), 0);
      assert.equal(total('byzantine_batches_sent_total', { result: 'accepted' }), 225);
      assert.equal(total('byzantine_batches_received_total'), 225);
      assert.equal(total('byzantine_values_sent_total'), 3609);
      assert.equal(total('byzantine_values_received_total'), 3609);
      assert.equal(total('byzantine_lies_total'), 200 + 150 + 200);
      scrapes.forEach((samples, id) => {
        assert.equal(sum(samples, 'byzantine_lies_total'), result.generals[id]?.lies, `general ${id}`);
      });
    });
  });

  describe('stdout', () => {
    const ofRun = (id: number) => lines(outputs[id] ?? '').filter((line) => line.includes(result.runId));
    const tallyOf = (id: number) => result.generals[id]?.tally ?? { attack: -1, retreat: -1 };

    test('a lieutenant in text: joined, each round closed complete, decided, and nothing per batch', () => {
      const id = 1;
      const { attack, retreat } = tallyOf(id);
      const prefix = String.raw`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO  general 1: `;
      const expected = [
        `run ${result.runId} joined: OM\\(3\\), n=10, t=3, strategy loyal`,
        ...[0, 1, 2, 3].map(
          (round) =>
            `run ${result.runId} round ${round} closed: ${BATCHES_EXPECTED_IN_ROUND[round]}/${BATCHES_EXPECTED_IN_ROUND[round]} batches, complete \\(\\d+\\.\\d ms\\)`,
        ),
        `run ${result.runId} decided ATTACK \\(ATTACK ${attack}, RETREAT ${retreat}\\) in \\d+\\.\\d ms`,
      ];
      const got = ofRun(id);
      assert.equal(got.length, expected.length, got.join('\n'));
      got.forEach((line, i) => {
        assert.match(line, new RegExp(`${prefix}${expected[i]}$`));
      });
      const all = lines(outputs[id] ?? '');
      assert.match(
        all[0] ?? '',
        /INFO {2}general 1: listening on 127\.0\.0\.1:\d+ \(loyal, 10 generals, auth on\)$/,
      );
      assert.match(all[1] ?? '', /INFO {2}general 1: metrics on http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      assert.match(outputs[id] ?? '', /INFO {2}general 1: SIGTERM, shutting down\n/);
      assert.match(all.at(-1) ?? '', /INFO {2}general 1: stopped$/);
    });

    test('the commander in text: joined with its order, which all nine lieutenants answered', () => {
      const got = ofRun(0);
      assert.equal(got.length, 2, got.join('\n'));
      assert.match(
        got[0] ?? '',
        new RegExp(
          `INFO {2}general 0: run ${result.runId} joined: OM\\(3\\), n=10, t=3, strategy loyal, commander with order ATTACK$`,
        ),
      );
      assert.match(
        got[1] ?? '',
        new RegExp(`INFO {2}general 0: run ${result.runId} order ATTACK delivered to 9/9 lieutenants$`),
      );
    });

    test('in json: every line one object, the run as run-joined, four round-closed and decided', () => {
      for (const id of JSON_GENERALS) {
        const objects = lines(outputs[id] ?? '').map((line) => {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          assert.equal(parsed.general, id, line);
          assert.match(String(parsed.ts), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, line);
          assert.ok(['info', 'warn'].includes(String(parsed.level)), line);
          assert.equal(typeof parsed.msg, 'string', line);
          return parsed;
        });
        assert.equal(objects[0]?.type, 'listening');
        assert.equal(objects[0]?.strategy, TRAITORS.includes(id) ? 'equivocate' : 'loyal');
        const run = objects.filter((o) => o.run === result.runId);
        assert.deepEqual(
          run.map((o) => o.type),
          ['run-joined', 'round-closed', 'round-closed', 'round-closed', 'round-closed', 'decided'],
          `general ${id}`,
        );
        assert.deepEqual(
          { ...run[0], ts: undefined, msg: undefined },
          {
            ts: undefined,
            msg: undefined,
            level: 'info',
            general: id,
            type: 'run-joined',
            run: result.runId,
            algorithm: 'om',
            n: N,
            t: T,
            strategy: TRAITORS.includes(id) ? 'equivocate' : 'loyal',
          },
        );
        for (let round = 0; round <= T; round++) {
          const closed = run[round + 1] ?? {};
          assert.deepEqual(
            [closed.round, closed.batchesExpected, closed.batchesReceived, closed.timedOut, closed.missing],
            [round, BATCHES_EXPECTED_IN_ROUND[round], BATCHES_EXPECTED_IN_ROUND[round], false, []],
            `general ${id} round ${round}`,
          );
          assert.equal(typeof closed.elapsedMs, 'number');
        }
        const decided = run[T + 2] ?? {};
        assert.equal(decided.decision, result.generals[id]?.decision, `general ${id} decision`);
        assert.deepEqual(decided.tally, tallyOf(id), `general ${id} tally`);
      }
    });

    test('at debug, a line per batch too: 25 received and 24 sent, with their values counted', () => {
      const got = ofRun(DEBUG_GENERAL);
      const received = got.filter((line) => / from \d+: \d+ value\(s\)$/.test(line));
      const sent = got.filter((line) => / to \d+: \d+ value\(s\)$/.test(line));
      assert.equal(received.length, BATCHES_RECEIVED_BY_LIEUTENANT);
      assert.equal(sent.length, BATCHES_SENT_BY_LIEUTENANT);
      for (const line of [...received, ...sent]) assert.match(line, /DEBUG general 5: /);
      const count = (line: string) => Number(/: (\d+) value\(s\)$/.exec(line)?.[1]);
      assert.equal(
        received.reduce((total, line) => total + count(line), 0),
        VALUES_HELD_BY_LIEUTENANT,
      );
      assert.equal(
        sent.reduce((total, line) => total + count(line), 0),
        VALUES_SENT_BY_LIEUTENANT,
      );
      // And the info lines as at info: joined, four rounds, decided.
      assert.equal(got.filter((line) => / INFO {2}general 5: /.test(line)).length, 6);
    });
  });
});

describe('local, with LOG_LEVEL, LOG_FORMAT and METRICS_PORT exported for other tools', () => {
  test('its generals ignore them: the run succeeds', async () => {
    const run = await runCli(['local', '--generals', '4', '--t', '1', '--json', '--round-timeout', '10000'], {
      env: { LOG_LEVEL: 'trace', LOG_FORMAT: 'xml', METRICS_PORT: '9464' },
      timeoutMs: 120_000,
    });
    try {
      assert.equal(run.code, 0, `exit status ${run.code}\n${run.stdout}\n${run.stderr}`);
      assert.deepEqual(jsonOf<RunResult>(run).messages, { expected: 9, delivered: 9 });
    } finally {
      await stopEverything([run.marker]);
    }
  });
});
