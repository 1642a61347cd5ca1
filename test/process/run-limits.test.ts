import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { valuesPerLieutenant } from '../../src/core/om/counts.js';
import { GeneralLog } from '../../src/log/general-log.js';
import type { PeerCallError } from '../../src/net/errors.js';
import { GeneralServer } from '../../src/net/general-server.js';
import { PeerClients } from '../../src/net/peers.js';
import { WireOrder } from '../../src/net/proto.js';

// One real general (lieutenant 1 of 12) on a free port; the other addresses are never dialled.
const n = 12;
const logDir = mkdtempSync(join(tmpdir(), 'run-limits-'));
const peers = Array.from({ length: n }, (_, id) => ({ host: '127.0.0.1', port: 1 + id }));
const server = new GeneralServer(
  {
    id: 1,
    strategy: { kind: 'loyal' },
    peers,
    port: 0,
    host: '127.0.0.1',
    logDir,
    roundTimeoutMs: 1000,
    valueLines: 'auto',
    auth: { mode: 'off' },
  },
  new GeneralLog(logDir, 1),
);
let client: PeerClients;

before(async () => {
  const port = await server.listen();
  client = new PeerClients([{ host: '127.0.0.1', port }]);
});

after(async () => {
  client.close();
  await server.shutdown(100);
  rmSync(logDir, { recursive: true, force: true });
});

const joinRun = (runId: string, t: number) =>
  client.call(
    0,
    'RunAlgorithm',
    { runId, generals: n, t, algorithm: 'OM', order: WireOrder.ORDER_UNSPECIFIED },
    5000,
  );

test('a run too deep to hold in memory is refused with RESOURCE_EXHAUSTED, naming its size', async () => {
  assert.ok(valuesPerLieutenant(n, 10) > 1_000_000, 'the case must exceed the limit');
  await assert.rejects(joinRun('too-deep', 10), (error: PeerCallError) => {
    assert.equal(error.code, grpc.status.RESOURCE_EXHAUSTED);
    assert.match(error.message, /9,864,101 values per lieutenant/);
    return true;
  });
});

test('the same general still joins a run of a size it can hold', async () => {
  assert.ok(valuesPerLieutenant(n, 3) <= 1_000_000);
  await joinRun('fits', 3);
});
