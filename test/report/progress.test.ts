import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatRoundLine, RoundTracker } from '../../src/progress/rounds.js';
import { type ProgressStream, TerminalProgress } from '../../src/progress/terminal.js';
import { CLI, cleanEnv, ROOT, runCli } from './support.js';

class FakeStream implements ProgressStream {
  readonly chunks: string[] = [];
  constructor(readonly isTTY: boolean) {}
  write(text: string): boolean {
    this.chunks.push(text);
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
}

const closed = (round: number, received: number, expected: number, timedOut = false) => ({
  round,
  batchesReceived: received,
  batchesExpected: expected,
  timedOut,
});

describe('RoundTracker', () => {
  it('completes a round once every followed lieutenant closed it, summing their batches', () => {
    let clock = 1000;
    const tracker = new RoundTracker(1, [1, 2, 3], () => clock);
    assert.deepEqual(tracker.report(1, closed(0, 1, 1)), []);
    assert.deepEqual(tracker.report(2, closed(0, 1, 1)), []);
    // A lieutenant ahead of the others: round 1 waits for everyone.
    assert.deepEqual(tracker.report(1, closed(1, 2, 2)), []);
    clock = 1250;
    const round0 = tracker.report(3, closed(0, 1, 1));
    assert.deepEqual(round0, [
      { round: 0, rounds: 2, batchesIn: 3, batchesExpected: 3, timedOut: 0, generals: 3, elapsedMs: 250 },
    ]);
    assert.equal(tracker.report(3, closed(0, 1, 1)).length, 0, 'a repeated report counts once');
    assert.deepEqual(tracker.report(2, closed(1, 2, 2)), []);
    clock = 1400;
    const round1 = tracker.report(3, closed(1, 1, 2, true));
    assert.deepEqual(round1, [
      { round: 1, rounds: 2, batchesIn: 5, batchesExpected: 6, timedOut: 1, generals: 3, elapsedMs: 400 },
    ]);
    assert.equal(tracker.done, true);
    assert.equal(
      formatRoundLine(round1[0] ?? assert.fail('no line')),
      'round 2 of 2 (round 1) closed: 5/6 batches in, deadline passed at 1 general(s), 0.40 s',
    );
  });

  it('stops waiting for a lieutenant whose stream ended, and never completes a round nobody closed', () => {
    const tracker = new RoundTracker(2, [1, 2], () => 0);
    assert.deepEqual(tracker.report(1, closed(0, 1, 1)), []);
    const lines = tracker.gone(2);
    assert.deepEqual(
      lines.map((l) => [l.round, l.generals]),
      [[0, 1]],
    );
    assert.deepEqual(tracker.gone(1), []);
    assert.equal(tracker.done, false);
  });
});

describe('TerminalProgress', () => {
  it('is silent when stdout or stderr is not a TTY, or with --json', () => {
    for (const [json, outTTY, errTTY] of [
      [false, false, true],
      [false, true, false],
      [false, false, false],
      [true, true, true],
    ] as const) {
      const out = new FakeStream(outTTY);
      const err = new FakeStream(errTTY);
      const progress = TerminalProgress.forCommand(json, out, err);
      assert.equal(progress.enabled, false);
      const spinner = progress.spin('waiting');
      progress.line('round 1 of 2 closed');
      spinner.stop('done');
      progress.close();
      assert.equal(out.text + err.text, '', `json=${json} stdout TTY=${outTTY} stderr TTY=${errTTY}`);
    }
  });

  it('on a TTY draws a spinner on stderr, keeps finished lines, and clears its line when stopped', () => {
    const out = new FakeStream(true);
    const err = new FakeStream(true);
    const progress = TerminalProgress.forCommand(false, out, err);
    assert.equal(progress.enabled, true);
    const spinner = progress.spin('waiting for 4 generals');
    progress.line('round 1 of 2 (round 0) closed: 3/3 batches in, 0.10 s');
    spinner.stop('4 generals healthy');
    progress.close();
    assert.equal(out.text, '', 'nothing on stdout');
    assert.match(err.text, /waiting for 4 generals \(\d+\.\d s\)/);
    assert.match(err.text, /round 1 of 2 \(round 0\) closed: 3\/3 batches in, 0\.10 s\n/);
    assert.ok(err.text.endsWith('\r\x1b[2K4 generals healthy\n'), JSON.stringify(err.text.slice(-60)));
  });
});

describe('progress of real runs', () => {
  const ESC = String.fromCharCode(27);
  const progressMarks = new RegExp(`healthy|round \\d+ of|${ESC}\\[|⠋|⠙|⠹`);

  it('prints nothing of it when stdout and stderr are pipes', async () => {
    const logDir = mkdtempSync(join(tmpdir(), 'byz-progress-'));
    try {
      const run = await runCli([
        'local',
        '--generals',
        '4',
        '--t',
        '1',
        '--traitors',
        '2',
        '--log-dir',
        logDir,
      ]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /Final consensus reached: ATTACK/);
      assert.doesNotMatch(run.stdout, progressMarks);
      assert.doesNotMatch(run.stderr, progressMarks);
    } finally {
      rmSync(logDir, { recursive: true, force: true });
    }
  });

  it('on a terminal shows the health spinner and every round; with --json, nothing of it', () => {
    const logDir = mkdtempSync(join(tmpdir(), 'byz-progress-'));
    // `script` (util-linux, essential in Debian) runs the command on a pseudo-terminal.
    const command = (extra: string) =>
      `'${process.execPath}' --import tsx '${CLI}' local --generals 4 --t 1 --traitors 2 --log-dir '${logDir}'${extra}`;
    const underTty = (extra: string) =>
      execFileSync('script', ['-qec', command(extra), '/dev/null'], {
        cwd: ROOT,
        env: cleanEnv(),
        encoding: 'utf8',
        timeout: 60_000,
      });
    try {
      const shown = underTty('');
      assert.match(shown, /4 generals healthy/);
      assert.match(shown, /round 1 of 2 \(round 0\) closed: 3\/3 batches in, \d+\.\d\d s/);
      assert.match(shown, /round 2 of 2 \(round 1\) closed: 6\/6 batches in, \d+\.\d\d s/);
      assert.match(shown, /Final consensus reached: ATTACK/);
      const json = underTty(' --json');
      assert.doesNotMatch(json, progressMarks);
      const result = JSON.parse(json.trim()) as { consensus: string };
      assert.equal(result.consensus, 'ATTACK');
    } finally {
      rmSync(logDir, { recursive: true, force: true });
    }
  });
});
