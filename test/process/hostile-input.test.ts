/**
 * Every field a caller controls is bounded and validated before it reaches a timer, a log line or
 * an allocation. One real general (lieutenant 1 of 12) on a free port, over real gRPC (plaintext,
 * AUTH=off, so that any caller gets as far as the checks); the other addresses are never dialled.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { valuesPerLieutenant } from '../../src/core/om/counts.js';
import { GeneralLog, intermediateLogPath } from '../../src/log/general-log.js';
import type { PeerCallError } from '../../src/net/errors.js';
import { GeneralServer } from '../../src/net/general-server.js';
import { PeerClients } from '../../src/net/peers.js';
import { PLAINTEXT } from '../../src/net/transport-security.js';
import { lines, rogueClient, sendOrder, wireBatch } from '../support/process.js';

const n = 12;
const logDir = mkdtempSync(join(tmpdir(), 'hostile-input-'));
const peers = Array.from({ length: n }, (_, id) => ({ host: '127.0.0.1', port: 1 + id }));
const log = new GeneralLog(logDir, 1);
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
    peerCalls: 'stream',
    logFormat: 'text',
    logLevel: 'info',
  },
  log,
  PLAINTEXT,
);
let client: PeerClients;
let address = '';

before(async () => {
  const port = await server.listen();
  address = `127.0.0.1:${port}`;
  client = new PeerClients([{ host: '127.0.0.1', port }]);
});

after(async () => {
  client.close();
  await server.shutdown(100);
  rmSync(logDir, { recursive: true, force: true });
});

const joinRun = (fields: Record<string, unknown>) =>
  client.call(
    0,
    'RunAlgorithm',
    { runId: 'ok-run', generals: n, t: 1, algorithm: 1, order: 0, ...fields },
    5000,
  );

async function refused(call: Promise<unknown>, status: keyof typeof grpc.status, details: RegExp) {
  await assert.rejects(call, (error: PeerCallError) => {
    assert.equal(grpc.status[error.code ?? -1], status, error.message);
    assert.match(error.message, details);
    return true;
  });
}

describe('RunAlgorithm', () => {
  test('a run too deep to hold in memory: RESOURCE_EXHAUSTED, naming its size', async () => {
    assert.ok(valuesPerLieutenant(n, 10) > 1_000_000, 'the case must exceed the limit');
    await refused(
      joinRun({ runId: 'too-deep', t: 10 }),
      'RESOURCE_EXHAUSTED',
      /9,864,101 values per lieutenant/,
    );
  });

  test('round_timeout_ms past what a timer can hold (4294967295): INVALID_ARGUMENT', async () => {
    await refused(
      joinRun({ runId: 'forever', roundTimeoutMs: 4_294_967_295 }),
      'INVALID_ARGUMENT',
      /round_timeout_ms 4294967295 is out of range: expected 1\.\.600000, or 0/,
    );
  });

  test('an unknown algorithm (77): INVALID_ARGUMENT, not read as OM', async () => {
    await refused(
      joinRun({ runId: 'alg-77', algorithm: 77 }),
      'INVALID_ARGUMENT',
      /algorithm 77 is not one this general runs/,
    );
  });

  test('an unknown order (77): INVALID_ARGUMENT', async () => {
    await refused(joinRun({ runId: 'order-77', order: 77 }), 'INVALID_ARGUMENT', /order 77 is not an order/);
  });

  test('a run_id with a line break: INVALID_ARGUMENT, naming the allowed characters', async () => {
    await refused(
      joinRun({ runId: 'evil\n2026-11-30T00:00:00.000Z run=x DECISION ATTACK' }),
      'INVALID_ARGUMENT',
      /is not a run id: expected 1\.\.128 characters: letters, digits and \. _ : -/,
    );
  });

  test('a run_id of 129 characters: INVALID_ARGUMENT', async () => {
    await refused(joinRun({ runId: 'r'.repeat(129) }), 'INVALID_ARGUMENT', /is not a run id/);
  });

  test('the same general still joins a sane run, one it can hold', async () => {
    assert.ok(valuesPerLieutenant(n, 3) <= 1_000_000);
    await joinRun({ runId: 'fits', t: 3, roundTimeoutMs: 600_000 });
  });
});

describe('reads and batches', () => {
  test('GetDecision for a run_id with control characters: INVALID_ARGUMENT', async () => {
    await refused(
      client.call(0, 'GetDecision', { runId: 'a\rb' }, 5000),
      'INVALID_ARGUMENT',
      /is not a run id/,
    );
  });

  test('a batch whose run_id carries a line break: INVALID_ARGUMENT, logged on one escaped line', async () => {
    const rogue = rogueClient(address);
    try {
      const outcome = await sendOrder(
        rogue,
        wireBatch({ runId: 'x\nFORGED LINE', round: 1, sender: 2, receiver: 1, values: ['ATTACK'] }),
      );
      assert.equal(outcome.ok, false);
      if (!outcome.ok) assert.equal(grpc.status[outcome.code], 'INVALID_ARGUMENT');
    } finally {
      rogue.close();
    }
  });

  test('no line of the log was written by a caller', async () => {
    await log.flush();
    const text = readFileSync(intermediateLogPath(logDir, 1), 'utf8');
    for (const line of lines(text)) {
      assert.match(
        line,
        /^\d{4}-\d\d-\d\dT[\d:.]+Z /,
        `every line starts with the general's own timestamp: ${line}`,
      );
      assert.doesNotMatch(line, /^FORGED|^2026-11-30T00:00:00\.000Z/);
    }
    assert.match(text, /REJECTED bad-run-id: /);
  });
});
