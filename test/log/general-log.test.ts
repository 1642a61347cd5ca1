/**
 * GeneralLog in process: the line per batch sent in the intermediate log (with its values and paths
 * where values get a line each, its count alone where they do not, why it failed), and that each
 * event reaches the metrics as counted by hand.
 */
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { GeneralLog, intermediateLogPath } from '../../src/log/general-log.js';
import { LineSink } from '../../src/log/line-sink.js';
import { GeneralMetrics } from '../../src/metrics/general-metrics.js';
import { lines, tempDir } from '../support/process.js';

const AT = new Date('2025-01-02T03:04:05.678Z');
const dir = tempDir('general-log');
after(() => dir.remove());

describe('the intermediate log: a line per batch sent', () => {
  test('ISSUED and FORWARDED with each value and its path, the count alone, or SEND FAILED with why', async () => {
    const log = new GeneralLog(join(dir.path, 'sent'), 3, { now: () => AT });
    log.batchSent('r1', 0, 1, ['ATTACK'], undefined, () => [[0]]);
    log.batchSent('r1', 2, 5, ['ATTACK', 'RETREAT'], undefined, () => [
      [0, 1, 3],
      [0, 2, 3],
    ]);
    log.batchSent('r1', 3, 6, ['ATTACK', 'ATTACK', 'RETREAT']);
    log.batchSent('r1', 3, 8, ['RETREAT'], 'general 8: Exchange failed: no acknowledgement\nwithin 2000 ms');
    await log.close();
    assert.deepEqual(lines(readFileSync(intermediateLogPath(join(dir.path, 'sent'), 3), 'utf8')), [
      '2025-01-02T03:04:05.678Z run=r1 round=0 to=1 ISSUED 1 value: 0=ATTACK',
      '2025-01-02T03:04:05.678Z run=r1 round=2 to=5 FORWARDED 2 values: 0>1>3=ATTACK 0>2>3=RETREAT',
      '2025-01-02T03:04:05.678Z run=r1 round=3 to=6 FORWARDED 3 values',
      '2025-01-02T03:04:05.678Z run=r1 round=3 to=8 SEND FAILED (1 value): general 8: Exchange failed: no acknowledgement\\u000awithin 2000 ms',
    ]);
  });
});

describe('GeneralLog counts for the metrics', () => {
  test('each event increments its counter once, by the values it carries', async () => {
    const metrics = new GeneralMetrics(4);
    const log = new GeneralLog(join(dir.path, 'metrics'), 4, { metrics });
    log.runStarted('r1', { algorithm: 'om', n: 7, t: 2, strategy: 'flip' });
    log.batchReceived('r1', 0, 0, ['ATTACK'], false, () => []);
    log.batchReceived('r1', 1, 2, ['ATTACK'], false, () => []);
    log.batchSent('r1', 1, 1, ['RETREAT']);
    log.batchSent('r1', 2, 1, ['RETREAT', 'RETREAT', 'ATTACK', 'ATTACK']);
    log.batchSent('r1', 2, 2, ['RETREAT'], 'refused');
    log.batchRejected('r1', 1, 2, 'duplicate', 'again');
    log.batchRejected('r1', 1, 5, 'duplicate', 'again');
    log.batchRejected('r1', 9, 5, 'round-out-of-range', 'no round 9');
    log.lies('r1', 'flip', [
      { round: 1, receiver: 1, path: [0], before: 'ATTACK', after: 'RETREAT' },
      { round: 1, receiver: 2, path: [0], before: 'ATTACK', after: 'RETREAT' },
    ]);
    log.roundClosed(
      'r1',
      { round: 0, batchesExpected: 1, batchesReceived: 1, timedOut: false, missing: [] },
      3,
    );
    log.roundClosed(
      'r1',
      { round: 1, batchesExpected: 5, batchesReceived: 4, timedOut: true, missing: [6] },
      1500,
    );
    log.decided('r1', 'RETREAT', { attack: 10, retreat: 21 }, 1600);
    log.requestRefused('ResetLog', 'not-the-client', 'no');
    await log.close();
    const { body } = await metrics.exposition();
    const value = (sample: string) => {
      const line = lines(body).find((l) => l.startsWith(`${sample} `));
      assert.ok(line, `${sample} in\n${body}`);
      return Number(line.slice(sample.length + 1));
    };
    assert.equal(value('byzantine_runs_joined_total{algorithm="om",general="4"}'), 1);
    assert.equal(value('byzantine_batches_received_total{general="4"}'), 2);
    assert.equal(value('byzantine_values_received_total{general="4"}'), 2);
    assert.equal(value('byzantine_batches_sent_total{result="accepted",general="4"}'), 2);
    assert.equal(value('byzantine_batches_sent_total{result="failed",general="4"}'), 1);
    assert.equal(value('byzantine_values_sent_total{general="4"}'), 5, 'values of accepted batches only');
    assert.equal(value('byzantine_batches_rejected_total{reason="duplicate",general="4"}'), 2);
    assert.equal(value('byzantine_batches_rejected_total{reason="round-out-of-range",general="4"}'), 1);
    assert.equal(value('byzantine_lies_total{general="4"}'), 2);
    assert.equal(value('byzantine_rounds_timed_out_total{general="4"}'), 1);
    assert.equal(value('byzantine_round_duration_seconds_count{general="4"}'), 2);
    assert.equal(value('byzantine_round_duration_seconds_sum{general="4"}'), 1.503);
    assert.equal(value('byzantine_round_duration_seconds_bucket{le="0.005",general="4"}'), 1);
    assert.equal(value('byzantine_round_duration_seconds_bucket{le="2.5",general="4"}'), 2);
    assert.equal(value('byzantine_runs_decided_total{decision="RETREAT",general="4"}'), 1);
    assert.equal(
      value('byzantine_requests_refused_total{method="ResetLog",reason="not-the-client",general="4"}'),
      1,
    );
  });
});

describe('LineSink on a descriptor it does not own (stdout)', () => {
  test('past its bound it drops lines, then says how many once there is room; it never closes the descriptor', async () => {
    const path = join(dir.path, 'stdout.txt');
    const fd = openSync(path, 'a');
    const sink = LineSink.onDescriptor(fd, 'stdout', 3, (count) => `(${count} dropped)`);
    for (let i = 1; i <= 5; i++) sink.add(`line ${i}`);
    await sink.flush();
    sink.add('line 6');
    await sink.close();
    assert.deepEqual(lines(readFileSync(path, 'utf8')), [
      'line 1',
      'line 2',
      'line 3',
      '(2 dropped)',
      'line 6',
    ]);
    closeSync(fd); // still open: the sink did not close it
  });
});
