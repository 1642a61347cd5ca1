/**
 * The long-lived streams between generals against network faults. Four generals reach each other
 * only through loopback TCP proxies that the test controls.
 *
 * - Every connection cut mid-run (both ends closed, as a network that resets): each general sees its
 *   streams break, reopens them and writes again what was not acknowledged; the run decides with
 *   every value delivered. General 3 holds back its batches (FAULT_DELAY_MS), so that its round 1
 *   goes out after the cut by construction.
 * - Every connection frozen between runs (left open, nothing more going through, as when a peer's
 *   machine vanishes without a word): no error ever comes, and keepalive pings would notice only
 *   after 40 s. A batch that waits out its whole deadline with nothing heard on its stream gives the
 *   connection up: the run in which it happens loses those batches, the next one runs on new
 *   connections and loses nothing.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exitCodeOf, type RunResult } from '../../src/run/result.js';
import { type ProxiedGenerals, startProxiedGenerals } from '../support/proxied-generals.js';

const N = 4;
const T = 1;
/** OM(1) among four: 3 values in round 0, 3 x 2 in round 1. */
const VALUES = 9;
const DELAYED = 3;
const DELAY_MS = 1500;

function assertAgreedOnEverything(result: RunResult): void {
  assert.equal(exitCodeOf(result), 0);
  assert.equal(result.ic1, true);
  assert.equal(result.ic2, true);
  assert.equal(result.consensus, 'ATTACK');
  assert.deepEqual(result.messages, { expected: VALUES, delivered: VALUES });
  for (const g of result.generals) if (g.id !== 0) assert.equal(g.decision, 'ATTACK', `lieutenant ${g.id}`);
}

const logOf = (cluster: ProxiedGenerals, id: number) =>
  readFileSync(join(cluster.logDir, `general_${id}_intermediate.log`), 'utf8');

describe('every connection between generals cut mid-run', () => {
  let cluster: ProxiedGenerals;
  let result: RunResult;
  let cut = 0;
  const connectionsBeforeCut: number[] = [];

  before(async () => {
    cluster = await startProxiedGenerals('stream-cut', N, (id) => ({
      ROUND_TIMEOUT_MS: '10000',
      ...(id === DELAYED ? { FAULT_DELAY_MS: String(DELAY_MS) } : {}),
    }));
    result = await cluster.run(T, () => {
      connectionsBeforeCut.push(...cluster.proxies.map((p) => p.connections()));
      for (const proxy of cluster.proxies) cut += proxy.cut();
    });
  });

  after(() => cluster?.close());

  test('the cut closed the streams the generals had open to each other', () => {
    // Each general keeps one stream (one connection, two sockets at the proxy) to each of the others.
    assert.ok(cut >= N * (N - 1), `cut ${cut} sockets`);
  });

  test('the run decides as if nothing happened: IC1, IC2, ATTACK, every value delivered', () => {
    assertAgreedOnEverything(result);
  });

  test('every general reconnected through the proxies after the cut', () => {
    cluster.proxies.forEach((proxy, id) => {
      assert.ok(
        proxy.connections() > (connectionsBeforeCut[id] ?? 0),
        `general ${id} was reached again after the cut`,
      );
    });
  });

  test("the delayed general's log says its streams broke and were reopened", async () => {
    await cluster.stop();
    assert.match(logOf(cluster, DELAYED), /stream to general \d broke \(.+\); reopening/);
  });

  test('its stdout says so too: the broken streams as warnings, then each one reopened', () => {
    const output = cluster.generals[DELAYED]?.output() ?? '';
    assert.match(
      output,
      new RegExp(`WARN  general ${DELAYED}: stream to general \\d broke \\(.+\\); reopening`),
    );
    assert.match(output, new RegExp(`INFO  general ${DELAYED}: stream to general \\d reopened`));
  });
});

describe('every connection between generals frozen between runs, left open', () => {
  /** Short, to keep the lossy run short: batches get this plus a second. */
  const ROUND_TIMEOUT_MS = 2000;
  let cluster: ProxiedGenerals;
  let frozen = 0;
  let lossy: RunResult;
  let next: RunResult;
  let frozenAt = 0;

  before(async () => {
    cluster = await startProxiedGenerals('stream-frozen', N, () => ({
      ROUND_TIMEOUT_MS: String(ROUND_TIMEOUT_MS),
    }));
    // A first run: every stream is open and answered before the freeze.
    assertAgreedOnEverything(await cluster.run(T));
    frozenAt = performance.now();
    for (const proxy of cluster.proxies) frozen += proxy.freeze();
    lossy = await cluster.run(T);
    next = await cluster.run(T);
  });

  after(() => cluster?.close());

  test('the freeze held the connections the generals had open to each other', () => {
    // One connection from each general to each of the others, all answered in the first run.
    assert.ok(frozen >= N * (N - 1), `froze ${frozen} connections`);
  });

  test('the run on the frozen connections loses what went on them', () => {
    assert.equal(lossy.messages.delivered, 0, JSON.stringify(lossy.messages));
  });

  test('the next run, long before keepalive would notice, runs on new connections and loses nothing', () => {
    assert.ok(performance.now() - frozenAt < 40_000, 'within keepalive time and timeout');
    assertAgreedOnEverything(next);
  });

  test("the generals' logs say why they gave their connections up", async () => {
    await cluster.stop();
    for (let id = 0; id < N; id++) {
      assert.match(
        logOf(cluster, id),
        new RegExp(
          `stream to general \\d broke \\(no acknowledgement and nothing heard for ${ROUND_TIMEOUT_MS + 1000} ms\\); reopening`,
        ),
        `general ${id}`,
      );
    }
  });
});
