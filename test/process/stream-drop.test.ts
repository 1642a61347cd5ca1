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
import { runOnCluster, waitForGenerals } from '../../src/net/cluster-client.js';
import { PeerClients, type UnaryMethod } from '../../src/net/peers.js';
import { exitCodeOf, type RunResult, summarize } from '../../src/run/result.js';
import { asClient, keyEnv, testKeys } from '../support/keys.js';
import { type GeneralProcess, startGeneral, stopEverything, tempDir } from '../support/process.js';
import { type TcpProxy, tcpProxy } from '../support/tcp-proxy.js';

const N = 4;
const T = 1;
const DELAYED = 3;
const DELAY_MS = 1500;

describe('every connection between generals cut mid-run', () => {
  const logs = tempDir('stream-drop');
  let keys: { path: string; remove: () => void };
  const ports: number[] = [];
  const proxies: TcpProxy[] = [];
  const generals: GeneralProcess[] = [];
  let result: RunResult;
  let cut = 0;
  const connectionsBeforeCut: number[] = [];

  before(async () => {
    keys = await testKeys(N);
    for (let id = 0; id < N; id++) proxies.push(await tcpProxy(() => ports[id] ?? 0));
    const peers = proxies.map((p) => `127.0.0.1:${p.port}`).join(',');
    for (let id = 0; id < N; id++) {
      const general = await startGeneral({
        ID: String(id),
        PEERS: peers,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_DIR: logs.path,
        ROUND_TIMEOUT_MS: '10000',
        ...keyEnv(keys.path, id),
        ...(id === DELAYED ? { FAULT_DELAY_MS: String(DELAY_MS) } : {}),
      });
      generals.push(general);
      ports[id] = general.port;
    }
    const direct = ports.map((port) => ({ host: '127.0.0.1', port }));
    // The client reaches the generals directly; only the generals' own streams go through the proxies.
    class CutAfterOrder extends PeerClients {
      override async call<Req, Res>(id: number, method: UnaryMethod, request: Req, deadlineMs: number) {
        const reply = await super.call<Req, Res>(id, method, request, deadlineMs);
        if (method === 'RunAlgorithm' && id === 0) {
          connectionsBeforeCut.push(...proxies.map((p) => p.connections()));
          for (const proxy of proxies) cut += proxy.cut();
        }
        return reply;
      }
    }
    const client = new CutAfterOrder(direct, asClient(keys.path, N));
    try {
      await waitForGenerals(client, 60_000);
      result = summarize(await runOnCluster(client, { n: N, t: T, order: 'ATTACK', roster: new Map() }));
    } finally {
      client.close();
    }
  });

  after(async () => {
    await stopEverything(generals.map((g) => g.marker));
    for (const proxy of proxies) await proxy.close();
    keys?.remove();
    logs.remove();
  });

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
    proxies.forEach((proxy, id) => {
      assert.ok(
        proxy.connections() > (connectionsBeforeCut[id] ?? 0),
        `general ${id} was reached again after the cut`,
      );
    });
  });

  test("the delayed general's log says its streams broke and were reopened", async () => {
    await stopEverything(generals.map((g) => g.marker));
    const text = readFileSync(join(logs.path, `general_${DELAYED}_intermediate.log`), 'utf8');
    assert.match(text, /stream to general \d broke \(.+\); reopening/);
  });

  test('its stdout says so too: the broken streams as warnings, then each one reopened', () => {
    const output = generals[DELAYED]?.output() ?? '';
    assert.match(
      output,
      new RegExp(`WARN  general ${DELAYED}: stream to general \\d broke \\(.+\\); reopening`),
    );
    assert.match(output, new RegExp(`INFO  general ${DELAYED}: stream to general \\d reopened`));
  });
});
