import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEventLines, traceFromLogs } from '../../src/report/from-logs.js';
import { buildReport } from '../../src/report/model.js';
import type { RunTrace } from '../../src/report/trace.js';
import { KING_EXAMPLE, simulatedTrace } from './support.js';

/**
 * The report model of a King run, derived by hand for n=4, t=1, order ATTACK, the commander (king
 * of phase 1) equivocating: it tells the even lieutenant 2 the opposite of everything.
 *
 * Round 0: x = A, A, R, A. Phase 1: 1 and 3 count c = 3/1 and propose A; 2 counts 2/2 (its R, the
 * commander's R, 1's and 3's A) and proposes none; the commander proposes A (R to 2). P at 2 is 2/1:
 * P(A) > t, x = A; but P(x) = 2 < n-t = 3, so 2 takes the king's value, R to 2. So after phase 1:
 * A, A, R, A. Phase 2 (king 1, loyal) repeats it, and 2 takes the loyal king's A: A, A, A, A.
 * The commander lies to 2 once in each of its six rounds with a message for 2 (0..5; 6 is 1's).
 */
describe('report model of a King run (n=4, t=1, the commander equivocates)', () => {
  const { trace } = simulatedTrace(
    KING_EXAMPLE.n,
    KING_EXAMPLE.t,
    KING_EXAMPLE.order,
    KING_EXAMPLE.roster,
    'king',
    'king',
  );
  const model = buildReport(trace);
  const king = model.king;

  it('counts every message: 3 + 2 x (12 + 12 + 3) = 57, an arrow each, 6 lies', () => {
    assert.equal(model.algorithm, 'king');
    assert.equal(model.aggregated, false);
    assert.equal(model.arrows.length, 57);
    assert.deepEqual(
      [model.counts.batches, model.counts.batchesExpected, model.counts.lies, model.counts.rejected],
      [57, 57, 6, 0],
    );
    assert.deepEqual(
      model.rounds.map((r) => [r.round, r.batches, r.batchesExpected, r.lies]),
      [
        [0, 3, 3, 1],
        [1, 12, 12, 1],
        [2, 12, 12, 1],
        [3, 3, 3, 1],
        [4, 12, 12, 1],
        [5, 12, 12, 1],
        [6, 3, 3, 0],
      ],
    );
    // Every lie goes from the commander to 2; 2's own propose(none) goes out empty in both phases.
    assert.deepEqual(
      model.arrows.filter((a) => a.lies > 0).map((a) => [a.round, a.from, a.to]),
      [0, 1, 2, 3, 4, 5].map((r) => [r, 0, 2]),
    );
    assert.deepEqual(
      model.arrows.filter((a) => a.values === '').map((a) => `${a.round}:${a.from}>${a.to}`),
      ['2:2>0', '2:2>1', '2:2>3', '5:2>0', '5:2>1', '5:2>3'],
    );
  });

  it("shows each phase's king and every general's x: A A R A after phase 1, all A after phase 2", () => {
    assert.ok(king !== null);
    assert.equal(king.initial, 'AARA');
    assert.deepEqual(
      king.phases.map((p) => [p.phase, p.king, p.kingStrategy, p.kingTraitor, p.x, p.tookKing]),
      [
        [1, 0, 'equivocate', true, 'AARA', '0010'],
        [2, 1, 'loyal', false, 'AAAA', '0010'],
      ],
    );
    const two = king.generals.find((g) => g.id === 2);
    assert.deepEqual(
      two?.phases.map((p) => [p.values, p.proposal, p.proposals, p.kingValue, p.tookKing, p.x]),
      [
        [{ attack: 2, retreat: 2 }, null, { attack: 2, retreat: 1 }, 'RETREAT', true, 'RETREAT'],
        [{ attack: 2, retreat: 2 }, null, { attack: 2, retreat: 1 }, 'ATTACK', true, 'ATTACK'],
      ],
    );
  });

  it('recomputes every decision from the messages received, and agrees with what was reported', () => {
    assert.deepEqual(model.warnings, []);
    assert.deepEqual(
      model.roster.map((r) => [r.id, r.decision, r.resolved, r.valuesHeld, r.valuesExpected, r.liesTold]),
      [
        // Messages: 3 value and 3 propose a phase for everyone; the order for lieutenants; the king's
        // value in each phase one is not king of: 0 gets 12 + 1 = 13, 1 gets 1 + 12 + 1 = 14, 2 and 3 get 15.
        [0, 'ATTACK', null, 13, 13, 6],
        [1, 'ATTACK', 'ATTACK', 14, 14, 0],
        [2, 'ATTACK', 'ATTACK', 15, 15, 0],
        [3, 'ATTACK', 'ATTACK', 15, 15, 0],
      ],
    );
    assert.deepEqual([model.verdict.ic1, model.verdict.ic2, model.verdict.consensus], [true, true, 'ATTACK']);
  });

  it('flags a reported phase that the messages contradict', () => {
    const two = trace.generals.get(2);
    assert.ok(two?.phases !== undefined);
    const tampered: RunTrace = {
      ...trace,
      generals: new Map([
        ...trace.generals,
        [2, { ...two, phases: two.phases.map((p) => (p.phase === 1 ? { ...p, x: 'ATTACK' as const } : p)) }],
      ]),
    };
    assert.deepEqual(buildReport(tampered).warnings, [
      'general 2 reported x=ATTACK after phase 1, but the messages it received give RETREAT',
    ]);
  });

  it("reads the same phases back from the generals' king-round events", () => {
    const lines = (id: number, events: object[]) =>
      events
        .map((e) => JSON.stringify({ ts: '2026-01-01T00:00:00.000Z', general: id, run: 'r', ...e }))
        .join('\n');
    const start = { type: 'run-started', algorithm: 'king', n: 4, t: 1, strategy: 'loyal' };
    const text = lines(2, [
      start,
      { type: 'king-round', kind: 'order', round: 0, phase: 0, heard: 'RETREAT', x: 'RETREAT' },
      {
        type: 'king-round',
        kind: 'value',
        round: 1,
        phase: 1,
        king: 0,
        counts: { attack: 2, retreat: 2 },
        proposal: null,
        x: 'RETREAT',
      },
      {
        type: 'king-round',
        kind: 'propose',
        round: 2,
        phase: 1,
        king: 0,
        counts: { attack: 2, retreat: 1 },
        x: 'ATTACK',
      },
      {
        type: 'king-round',
        kind: 'king',
        round: 3,
        phase: 1,
        king: 0,
        heard: 'RETREAT',
        support: 2,
        kept: false,
        x: 'RETREAT',
      },
    ]);
    const events = parseEventLines(text);
    assert.equal(events.skipped, 0);
    const read = traceFromLogs({ byGeneral: new Map([[2, events.events]]), skipped: 0 });
    assert.equal(read.algorithm, 'king');
    assert.deepEqual(read.generals.get(2)?.phases, [
      {
        phase: 1,
        king: 0,
        start: 'RETREAT',
        values: { attack: 2, retreat: 2 },
        proposal: null,
        proposals: { attack: 2, retreat: 1 },
        kingValue: 'RETREAT',
        tookKing: true,
        x: 'RETREAT',
      },
    ]);
  });
});

describe('report model of a large King run: aggregated into fans', () => {
  it('n=40, t=13: 39 + 14 x (1,560 + 1,560 + 39) = 44,265 messages in 1 + 14 x 81 = 1,135 fans, no arrow each', () => {
    const { trace } = simulatedTrace(40, 13, 'RETREAT', new Map([[5, { kind: 'silent' }]]), 'big', 'king');
    const model = buildReport(trace);
    assert.equal(model.aggregated, true);
    assert.equal(model.arrows.length, 0);
    assert.equal(model.king?.fans.length, 1 + 14 * (40 + 40 + 1));
    assert.equal(model.counts.batchesExpected, 44_265);
    // Silent 5 withholds 2 x 39 messages in each of 14 phases, and its 39 as king of phase 6.
    assert.equal(model.counts.batches, 44_265 - 14 * 78 - 39);
    const silent = model.king?.fans.filter((f) => f.from === 5) ?? [];
    assert.equal(silent.length, 14 * 2 + 1);
    assert.ok(
      silent.every((f) => /^[ .]+$/.test(f.received)),
      'nothing of 5 arrived anywhere',
    );
    assert.deepEqual(model.warnings, []);
  });
});
