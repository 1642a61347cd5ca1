/**
 * A connection that goes silent mid-run, as when a peer's machine vanishes without closing anything
 * (a paused or lost node, a Swarm task moved to a new address): four generals reach each other only
 * through loopback TCP proxies, which stop forwarding on every open connection while a run is in
 * flight, leaving the connections open. No error ever comes, and keepalive pings would notice only
 * after tens of seconds; a general that hears nothing back for half a batch's deadline gives the
 * connection up, connects afresh and writes again what was not acknowledged. The run decides with
 * every value delivered. General 3 holds back its batches (FAULT_DELAY_MS) so that its round 1 is
 * written on the frozen connections by construction.
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
/** Batches are given this plus a second; the run's rounds close at (r+1) times this at the latest. */
const ROUND_TIMEOUT_MS = 10_000;

describe('every connection between generals frozen mid-run, left open', () => {
  let cluster: ProxiedGenerals;
  let result: RunResult;
  let frozen = 0;
  const connectionsBeforeFreeze: number[] = [];

  before(async () => {
    cluster = await startProxiedGenerals('silent-connection', N, (id) => ({
      ROUND_TIMEOUT_MS: String(ROUND_TIMEOUT_MS),
      ...(id === DELAYED ? { FAULT_DELAY_MS: String(DELAY_MS) } : {}),
    }));
    result = await cluster.run(T, () => {
      connectionsBeforeFreeze.push(...cluster.proxies.map((p) => p.connections()));
      for (const proxy of cluster.proxies) frozen += proxy.freeze();
    });
  });

  after(() => cluster?.close());

  test('the freeze held connections the generals had open to each other', () => {
    // Not always all twelve: a stream opened before its peer was up may still be reconnecting.
    assert.ok(frozen > 0, `froze ${frozen} connections`);
  });

  test('the run decides as if nothing happened: IC1, IC2, ATTACK, every value delivered', () => {
    assert.equal(exitCodeOf(result), 0);
    assert.equal(result.ic1, true);
    assert.equal(result.ic2, true);
    assert.equal(result.consensus, 'ATTACK');
    assert.deepEqual(result.messages, { expected: 9, delivered: 9 });
    for (const g of result.generals) if (g.id !== 0) assert.equal(g.decision, 'ATTACK', `lieutenant ${g.id}`);
  });

  test("the lieutenants' batches went on new connections, long before round 1's deadline", () => {
    cluster.proxies.forEach((proxy, id) => {
      if (id === 0) return; // the commander receives nothing
      assert.ok(
        proxy.connections() > (connectionsBeforeFreeze[id] ?? 0),
        `general ${id} was reached on a new connection after the freeze`,
      );
    });
    assert.ok(
      result.elapsedMs < 2 * ROUND_TIMEOUT_MS,
      `decided in ${Math.round(result.elapsedMs)} ms, not by waiting out the rounds`,
    );
  });

  test("the delayed general's log and stdout say its silent streams were given up and reopened", async () => {
    await cluster.stop();
    const silent =
      /stream to general \d broke \(no acknowledgement and nothing heard for \d+ ms\); reopening/;
    const text = readFileSync(join(cluster.logDir, `general_${DELAYED}_intermediate.log`), 'utf8');
    assert.match(text, silent);
    const output = cluster.generals[DELAYED]?.output() ?? '';
    assert.match(output, new RegExp(`WARN  general ${DELAYED}: ${silent.source}`));
    assert.match(output, new RegExp(`INFO  general ${DELAYED}: stream to general \\d reopened`));
  });
});
