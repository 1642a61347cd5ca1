/**
 * ProgressLog in process, on an array instead of stdout: which events reach which level, the text
 * and json forms of the lines a run does not print when all goes well (a round that timed out, a
 * refusal, a broken stream), and that a caller's text cannot forge a line.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type LineOut, type LogFormat, type LogLevel, ProgressLog } from '../../src/log/progress-log.js';

const AT = new Date('2025-01-02T03:04:05.678Z');

function progressLog(level: LogLevel, format: LogFormat = 'text'): { log: ProgressLog; lines: string[] } {
  const lines: string[] = [];
  const out: LineOut = { add: (line) => lines.push(line), flush: async () => {} };
  return { log: new ProgressLog(7, { level, format, now: () => AT }, out), lines };
}

/** One of each event, as a run that goes wrong in every way would tell them. */
function tellEverything(log: ProgressLog): void {
  log.batchReceived('r1', 1, 2, 7);
  log.batchSent('r1', 1, 3, 7);
  log.joined('r1', { algorithm: 'om', n: 10, t: 3, strategy: 'loyal' });
  log.roundClosed(
    'r1',
    { round: 0, batchesExpected: 1, batchesReceived: 1, timedOut: false, missing: [] },
    2.25,
  );
  log.roundClosed(
    'r1',
    { round: 1, batchesExpected: 8, batchesReceived: 6, timedOut: true, missing: [4, 9] },
    1000,
  );
  log.decided('r1', 'RETREAT', { attack: 100, retreat: 301 }, 1234.56);
  log.batchSent('r1', 2, 5, 7, 'no acknowledgement within 2000 ms');
  log.batchRejected('r1', 2, 4, 'duplicate', 'round 2 batch from 4 already arrived');
  log.requestRefused('RunAlgorithm', 'not-the-client', "RunAlgorithm is for the client's certificate");
  log.peerTrouble('stream to general 4 broke (connection reset); reopening', 4);
  log.peerTrouble('stream to general 6 broke (the peer ended the stream); reopening', 6, true);
  log.fatal('injected crash as round 2 starts, exiting');
}

describe('ProgressLog levels', () => {
  const typesAt = (level: LogLevel) => {
    const { log, lines } = progressLog(level, 'json');
    tellEverything(log);
    return lines.map((line) => (JSON.parse(line) as { type: string }).type);
  };

  test('debug: every event, the batches too', () => {
    assert.deepEqual(typesAt('debug'), [
      'batch-received',
      'batch-sent',
      'run-joined',
      'round-closed',
      'round-closed',
      'decided',
      'send-failed',
      'batch-rejected',
      'request-refused',
      'peer-trouble',
      'peer-trouble',
      'fatal',
    ]);
  });

  test('info (the default): the run and its trouble, no line per batch', () => {
    assert.deepEqual(typesAt('info'), [
      'run-joined',
      'round-closed',
      'round-closed',
      'decided',
      'send-failed',
      'batch-rejected',
      'request-refused',
      'peer-trouble',
      'peer-trouble',
      'fatal',
    ]);
  });

  test('warn: only trouble, a round that timed out but not one that completed, a failed stream but not one its peer ended', () => {
    assert.deepEqual(typesAt('warn'), [
      'round-closed',
      'send-failed',
      'batch-rejected',
      'request-refused',
      'peer-trouble',
      'fatal',
    ]);
  });

  test('error: only what ends the general; silent: nothing', () => {
    assert.deepEqual(typesAt('error'), ['fatal']);
    assert.deepEqual(typesAt('silent'), []);
  });
});

describe('ProgressLog lines', () => {
  test('text: time, level, general, then what happened', () => {
    const { log, lines } = progressLog('debug');
    tellEverything(log);
    assert.deepEqual(lines, [
      '2025-01-02T03:04:05.678Z DEBUG general 7: run r1 round 1 from 2: 7 value(s)',
      '2025-01-02T03:04:05.678Z DEBUG general 7: run r1 round 1 to 3: 7 value(s)',
      '2025-01-02T03:04:05.678Z INFO  general 7: run r1 joined: OM(3), n=10, t=3, strategy loyal',
      '2025-01-02T03:04:05.678Z INFO  general 7: run r1 round 0 closed: 1/1 batches, complete (2.3 ms)',
      '2025-01-02T03:04:05.678Z WARN  general 7: run r1 round 1 closed: 6/8 batches, timed out, missing 4,9 (1000.0 ms)',
      '2025-01-02T03:04:05.678Z INFO  general 7: run r1 decided RETREAT (ATTACK 100, RETREAT 301) in 1234.6 ms',
      '2025-01-02T03:04:05.678Z WARN  general 7: run r1 round 2 batch to 5 failed: no acknowledgement within 2000 ms',
      '2025-01-02T03:04:05.678Z WARN  general 7: run r1 round 2 batch from 4 rejected (duplicate): round 2 batch from 4 already arrived',
      "2025-01-02T03:04:05.678Z WARN  general 7: RunAlgorithm refused (not-the-client): RunAlgorithm is for the client's certificate",
      '2025-01-02T03:04:05.678Z WARN  general 7: stream to general 4 broke (connection reset); reopening',
      '2025-01-02T03:04:05.678Z INFO  general 7: stream to general 6 broke (the peer ended the stream); reopening',
      '2025-01-02T03:04:05.678Z ERROR general 7: injected crash as round 2 starts, exiting',
    ]);
  });

  test('json: one object per line with ts, level, general, type, msg and the fields', () => {
    const { log, lines } = progressLog('info', 'json');
    log.roundClosed(
      'r1',
      { round: 1, batchesExpected: 8, batchesReceived: 6, timedOut: true, missing: [4, 9] },
      1000.04,
    );
    log.requestRefused('GetDecision', 'not-found', 'unknown run "r9"');
    log.orderDelivered('r1', 'ATTACK', 8, 9);
    assert.deepEqual(
      lines.map((line) => JSON.parse(line)),
      [
        {
          ts: '2025-01-02T03:04:05.678Z',
          level: 'warn',
          general: 7,
          type: 'round-closed',
          msg: 'run r1 round 1 closed: 6/8 batches, timed out, missing 4,9 (1000.0 ms)',
          run: 'r1',
          round: 1,
          batchesExpected: 8,
          batchesReceived: 6,
          timedOut: true,
          missing: [4, 9],
          elapsedMs: 1000,
        },
        {
          ts: '2025-01-02T03:04:05.678Z',
          level: 'warn',
          general: 7,
          type: 'request-refused',
          msg: 'GetDecision refused (not-found): unknown run "r9"',
          method: 'GetDecision',
          reason: 'not-found',
          message: 'unknown run "r9"',
        },
        {
          ts: '2025-01-02T03:04:05.678Z',
          level: 'warn',
          general: 7,
          type: 'order-delivered',
          msg: 'run r1 order ATTACK delivered to 8/9 lieutenants',
          run: 'r1',
          order: 'ATTACK',
          delivered: 8,
          lieutenants: 9,
        },
      ],
    );
  });

  test("a caller's line break cannot forge a line: escaped in text, a JSON string in json", () => {
    const detail = 'bad\nWARN  general 7: forged';
    const text = progressLog('info');
    text.log.requestRefused('GetTrace', 'invalid-argument', detail);
    assert.equal(text.lines.length, 1);
    assert.ok(text.lines[0]?.endsWith('bad\\u000aWARN  general 7: forged'), text.lines[0]);
    const json = progressLog('info', 'json');
    json.log.requestRefused('GetTrace', 'invalid-argument', detail);
    assert.equal(json.lines.length, 1);
    assert.equal((JSON.parse(json.lines[0] ?? '') as { message: string }).message, detail);
  });
});
