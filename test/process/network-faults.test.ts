/**
 * The long-lived streams between generals survive network faults in the middle of a run. Four
 * generals reach each other only through loopback TCP proxies, and once the commander has its
 * order every connection between them is either
 *
 * - cut: both ends closed, as a network that resets; each general sees its streams break, reopens
 *   them and writes again what was not acknowledged;
 * - frozen: left open with nothing more going through, as when a peer's machine vanishes without a
 *   word (a paused or lost node, a Swarm task moved to a new address). No error ever comes, and
 *   keepalive pings would notice only after tens of seconds: a general that hears nothing back for
 *   half a batch's deadline gives the connection up, connects afresh and writes again.
 *
 * Either way the run decides with every value delivered, well before its round deadlines. General 3
 * holds back its batches (FAULT_DELAY_MS), so that its round 1 goes out after the fault by
 * construction.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exitCodeOf, type RunResult } from '../../src/run/result.js';
import { type ProxiedGenerals, startProxiedGenerals } from '../support/proxied-generals.js';
import type { TcpProxy } from '../support/tcp-proxy.js';

const N = 4;
const T = 1;
const DELAYED = 3;
const DELAY_MS = 1500;
/** Batches are given this plus a second; the run's rounds close at (r+1) times this at the latest. */
const ROUND_TIMEOUT_MS = 10_000;

interface Fault {
  readonly title: string;
  readonly act: (proxy: TcpProxy) => number;
  /** The least number of connections the fault must have hit for the test to mean anything. */
  readonly atLeast: number;
  /** Why the delayed general's streams broke, as its log says it. */
  readonly why: string;
  /** Generals reached on a new connection after the fault. */
  readonly reconnected: readonly number[];
}

const FAULTS: readonly Fault[] = [
  {
    title: 'every connection between generals cut mid-run',
    act: (proxy) => proxy.cut(),
    // Each general keeps one stream (one connection, two sockets at the proxy) to each of the others.
    atLeast: N * (N - 1),
    why: '.+',
    // The commander too: a broken stream reopens at once, whether a batch waits on it or not.
    reconnected: [0, 1, 2, 3],
  },
  {
    title: 'every connection between generals frozen mid-run, left open',
    act: (proxy) => proxy.freeze(),
    // Not always all twelve: a stream opened before its peer was up may still be reconnecting.
    atLeast: 1,
    why: 'no acknowledgement and nothing heard for \\d+ ms',
    // Only where a batch waited: the lieutenants, since the commander receives nothing.
    reconnected: [1, 2, 3],
  },
];

for (const fault of FAULTS) {
  describe(fault.title, () => {
    let cluster: ProxiedGenerals;
    let result: RunResult;
    let hit = 0;
    const connectionsBefore: number[] = [];

    before(async () => {
      cluster = await startProxiedGenerals('network-fault', N, (id) => ({
        ROUND_TIMEOUT_MS: String(ROUND_TIMEOUT_MS),
        ...(id === DELAYED ? { FAULT_DELAY_MS: String(DELAY_MS) } : {}),
      }));
      result = await cluster.run(T, () => {
        connectionsBefore.push(...cluster.proxies.map((p) => p.connections()));
        for (const proxy of cluster.proxies) hit += fault.act(proxy);
      });
    });

    after(() => cluster?.close());

    test('the fault hit the connections the generals had open to each other', () => {
      assert.ok(hit >= fault.atLeast, `${hit} connections hit`);
    });

    test('the run decides as if nothing happened: IC1, IC2, ATTACK, every value delivered', () => {
      assert.equal(exitCodeOf(result), 0);
      assert.equal(result.ic1, true);
      assert.equal(result.ic2, true);
      assert.equal(result.consensus, 'ATTACK');
      assert.deepEqual(result.messages, { expected: 9, delivered: 9 });
      for (const g of result.generals)
        if (g.id !== 0) assert.equal(g.decision, 'ATTACK', `lieutenant ${g.id}`);
      assert.ok(
        result.elapsedMs < 2 * ROUND_TIMEOUT_MS,
        `decided in ${Math.round(result.elapsedMs)} ms, not by waiting out round deadlines`,
      );
    });

    test('the generals were reached again on new connections after the fault', () => {
      for (const id of fault.reconnected) {
        assert.ok(
          (cluster.proxies[id]?.connections() ?? 0) > (connectionsBefore[id] ?? 0),
          `general ${id} was reached again after the fault`,
        );
      }
    });

    test("the delayed general's log says its streams broke and were reopened", async () => {
      await cluster.stop();
      const text = readFileSync(join(cluster.logDir, `general_${DELAYED}_intermediate.log`), 'utf8');
      assert.match(text, new RegExp(`stream to general \\d broke \\(${fault.why}\\); reopening`));
    });

    test('its stdout says so too: the broken streams as warnings, then each one reopened', () => {
      const output = cluster.generals[DELAYED]?.output() ?? '';
      assert.match(
        output,
        new RegExp(`WARN  general ${DELAYED}: stream to general \\d broke \\(${fault.why}\\); reopening`),
      );
      assert.match(output, new RegExp(`INFO  general ${DELAYED}: stream to general \\d reopened`));
    });
  });
}
