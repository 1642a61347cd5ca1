/**
 * The long-lived streams between generals survive a network fault: four generals reach each other
 * only through loopback TCP proxies, and every connection between them is cut while a run is in
 * flight. Each general reopens its streams and writes again what was not acknowledged; the run
 * decides with every value delivered. General 3 holds back its batches (FAULT_DELAY_MS) so that its
 * round 1 is still to be sent when the connections are cut: the cut lands mid-run by construction.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exitCodeOf, type RunResult } from '../../src/run/result.js';
import { type ProxiedGenerals, startProxiedGenerals } from '../support/proxied-generals.js';

const N = 4;
const T = 1;
const DELAYED = 3;
const DELAY_MS = 1500;

describe('every connection between generals cut mid-run', () => {
  let cluster: ProxiedGenerals;
  let result: RunResult;
  let cut = 0;
  const connectionsBeforeCut: number[] = [];

  before(async () => {
    cluster = await startProxiedGenerals('stream-drop', N, (id) => ({
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
    // Each general keeps one stream (one connection) to each of the three others.
    assert.ok(cut >= N * (N - 1), `cut ${cut} connections`);
  });

  test('the run decides as if nothing happened: IC1, IC2, ATTACK, every value delivered', () => {
    assert.equal(exitCodeOf(result), 0);
    assert.equal(result.ic1, true);
    assert.equal(result.ic2, true);
    assert.equal(result.consensus, 'ATTACK');
    assert.deepEqual(result.messages, { expected: 9, delivered: 9 });
    for (const g of result.generals) if (g.id !== 0) assert.equal(g.decision, 'ATTACK', `lieutenant ${g.id}`);
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
    const text = readFileSync(join(cluster.logDir, `general_${DELAYED}_intermediate.log`), 'utf8');
    assert.match(text, /stream to general \d broke \(.+\); reopening/);
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
