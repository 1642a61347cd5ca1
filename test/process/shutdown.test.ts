/**
 * Stopping cleanly. A general on SIGTERM exits 0 promptly and lets go of its port, also with a call
 * in flight. `local` leaves no process behind after a failing run (a port it needs is held by
 * someone else); after a successful run, see seed-example and silent-traitor, which check the same.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import type { GetDecisionResponse__Output } from '../../src/net/generated/byzantine/v1/GetDecisionResponse.js';
import { checkHealth } from '../../src/net/health.js';
import { PeerClients } from '../../src/net/peers.js';
import { PLAINTEXT, type TransportSecurity } from '../../src/net/transport-security.js';
import { asClient, keyEnv, testKeys } from '../support/keys.js';
import {
  type CliResult,
  isAlive,
  listenOn,
  processesMarked,
  startCli,
  startGeneral,
  stopEverything,
  tempDir,
  waitServing,
} from '../support/process.js';

/** Credentials for the 4 generals below and the client, as generate-compose.ts lays them out. */
const keys = await testKeys(4);
after(() => keys.remove());

/** A general's env for a 4-general roster of which only this one (id 1) runs; PORT 0: a free port. */
const generalEnv = (logDir: string) => ({
  ID: '1',
  PEERS: '127.0.0.1:1,127.0.0.1:2,127.0.0.1:3,127.0.0.1:4',
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_DIR: logDir,
  ROUND_TIMEOUT_MS: '60000',
  ...keyEnv(keys.path, 1),
});

/** Where the client finds general 1 when it is the only one running (its TLS name is general-1). */
const onlyGeneral1 = (port: number) => [
  { host: '127.0.0.1', port: 1 },
  { host: '127.0.0.1', port },
];

/** "Promptly": the general's own grace for calls in flight is 2 s; the rest is a loaded machine. */
const PROMPT_MS = 10_000;

async function assertPortFree(port: number): Promise<void> {
  const held = await listenOn(port);
  assert.equal(held.port, port);
  await held.close();
}

describe('a general on SIGTERM', () => {
  const logs = tempDir('sigterm');
  const markers: string[] = [];

  after(async () => {
    await stopEverything(markers);
    logs.remove();
  });

  test('idle: exits 0 promptly, and its port is free afterwards', async () => {
    const general = await startGeneral(generalEnv(logs.path));
    markers.push(general.marker);
    const health = new PeerClients(onlyGeneral1(general.port), asClient(keys.path, 4)).health(1);
    try {
      assert.equal(await checkHealth(health, 30_000), 'SERVING');
    } finally {
      health.close();
    }
    // The marker finds the process (and any helper it started, such as tsx's esbuild), so an
    // empty answer later means they are all gone.
    assert.ok(processesMarked(general.marker).includes(general.child.pid ?? -1));

    const sent = performance.now();
    general.child.kill('SIGTERM');
    const { code, signal } = await general.exited;
    const tookMs = performance.now() - sent;
    assert.deepEqual({ code, signal }, { code: 0, signal: null }, general.output());
    assert.ok(tookMs < PROMPT_MS, `exited ${tookMs.toFixed(0)} ms after SIGTERM`);
    assert.match(general.output(), /general 1: SIGTERM, shutting down/);
    assert.deepEqual(processesMarked(general.marker), []);
    await assertPortFree(general.port);
  });

  test('with a call in flight (GetDecision on an open run): exits 0 promptly, the call ends, the port is free', async () => {
    const general = await startGeneral(generalEnv(logs.path));
    markers.push(general.marker);
    const peers = new PeerClients(onlyGeneral1(general.port), asClient(keys.path, 4));
    try {
      const join = { runId: 'open-run', generals: 4, t: 1, roundTimeoutMs: 60_000, algorithm: 1, order: 0 };
      await peers.call(1, 'RunAlgorithm', join, 30_000);
      // Nobody else exists, so round 0 waits a minute: this call stays in flight.
      const pending = peers
        .call<object, GetDecisionResponse__Output>(1, 'GetDecision', { runId: 'open-run' }, 60_000)
        .then(
          () => 'answered',
          (error: unknown) => `failed: ${String(error)}`,
        );
      // A second call on the same connection, answered at once: once it is back, the general has
      // received the first one (streams of one connection arrive in order), which is now waiting.
      await assert.rejects(
        peers.call(1, 'GetDecision', { runId: 'no-such-run' }, 30_000),
        /unknown run "no-such-run"/,
      );
      const sent = performance.now();
      general.child.kill('SIGTERM');
      const { code, signal } = await general.exited;
      const tookMs = performance.now() - sent;
      assert.deepEqual({ code, signal }, { code: 0, signal: null }, general.output());
      assert.ok(tookMs < PROMPT_MS, `exited ${tookMs.toFixed(0)} ms after SIGTERM`);
      assert.match(await pending, /^failed: /);
      await assertPortFree(general.port);
    } finally {
      peers.close();
    }
  });
});

describe('local, when a general cannot start (its port is held by someone else)', () => {
  const N = 4;
  const logs = tempDir('busy-port');
  /** The launcher's TMPDIR, where it makes its ephemeral keys. */
  const tmp = tempDir('busy-port-tmp');
  let busy: Awaited<ReturnType<typeof listenOn>> | undefined;
  let run: CliResult | undefined;
  let marker = '';
  /** Every process `local` started, seen while it ran: the launcher and the generals that came up. */
  let spawned: number[] = [];
  let sawOthersServing = false;

  /** N consecutive loopback ports: the first held by us, the others free (checked by binding). */
  async function holdBasePort(): Promise<Awaited<ReturnType<typeof listenOn>>> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const first = await listenOn(0);
      if (first.port + N <= 65535) {
        try {
          for (let i = 1; i < N; i++) await (await listenOn(first.port + i)).close();
          return first;
        } catch {
          // One of the next ports is taken: try elsewhere.
        }
      }
      await first.close();
    }
    throw new Error(`found no ${N} consecutive free ports`);
  }

  before(async () => {
    busy = await holdBasePort();
    const base = busy.port;
    const launched = startCli(
      ['local', '--generals', String(N), '--t', '1', '--base-port', String(base), '--log-dir', logs.path],
      { timeoutMs: 120_000, env: { TMPDIR: tmp.path } },
    );
    marker = launched.marker;
    // While the launcher waits on general 0, generals 1..3 come up: note every process it started.
    const others = Array.from({ length: N - 1 }, (_, i) => `127.0.0.1:${base + 1 + i}`);
    // Its ephemeral credentials appear in its TMPDIR before it starts the generals.
    const security = (): TransportSecurity => {
      const dir = readdirSync(tmp.path).find((name) => name.startsWith('byzantine-keys-'));
      try {
        return dir === undefined ? PLAINTEXT : asClient(join(tmp.path, dir), N);
      } catch {
        return PLAINTEXT; // still being written
      }
    };
    sawOthersServing = await waitServing(others, launched.done, security);
    if (sawOthersServing) spawned = processesMarked(launched.marker);
    run = await launched.done;
  });

  after(async () => {
    await stopEverything([marker]);
    await busy?.close();
    logs.remove();
    tmp.remove();
  });

  test('exits 3 with a clear error naming general 0, its port and why', () => {
    assert.ok(run);
    assert.equal(run.code, 3, `exit status ${run.code}\nstderr:\n${run.stderr}`);
    assert.match(run.stderr, /could not reach 1 general\(s\)/);
    assert.match(run.stderr, new RegExp(`general 0: .*127\\.0\\.0\\.1:${busy?.port}`));
    assert.match(run.stderr, /EADDRINUSE|address already in use/);
  });

  test('leaves no process behind: every process it started is gone', () => {
    assert.ok(run);
    // Seen while it ran (unless it ended before generals 1..3 were up): the launcher and at least
    // generals 1..3 (general 0 may be gone already), so the marker does find its processes.
    if (sawOthersServing) {
      assert.ok(spawned.includes(run.pid), `the launcher ${run.pid} among ${spawned.join(',')}`);
      assert.ok(spawned.length >= N, `launcher and generals seen: ${spawned.join(',')}`);
    }
    for (const pid of spawned) assert.equal(isAlive(pid), false, `pid ${pid} is gone`);
    assert.deepEqual(processesMarked(marker), []);
  });

  test('removes its ephemeral keys, failure or not', () => {
    assert.deepEqual(
      readdirSync(tmp.path).filter((name) => name.startsWith('byzantine-keys-')),
      [],
    );
  });

  test('gives up once general 0 has died, rather than waiting out the 30 s health bound', () => {
    assert.ok(run);
    // General 0 fails to bind within a second or two of starting, and the launcher sees its exit
    // (LocalCluster records it); waiting 30 s more for its health cannot change the outcome.
    assert.ok(
      run.elapsedMs < 25_000,
      `local took ${(run.elapsedMs / 1000).toFixed(1)} s to report a general that had exited at start`,
    );
  });
});
