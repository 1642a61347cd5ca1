/**
 * The report of SM runs: the model of docs/signed-messages.md's example, derived by hand; the same
 * model from hand-written event logs; the GetTrace answer read back.
 *
 * n=4, t=2, the commander equivocates, lieutenant 3 flips, order ATTACK:
 * - round 0: the commander really signs A for 1 and 3, R for 2 (a lie to 2, with a valid chain);
 * - round 1: 1 relays A:0.1 to 2 and 3; 2 relays R:0.2 to 1 and 3; 3 relays R:0.3, tampered from
 *   A (invalid), to 1 and 2;
 * - round 2: each relays the value it first saw in round 1 to the lieutenants not in its chain:
 *   1 relays R:0.2.1 to 3; 2 relays A:0.1.2 to 3; 3 relays A:0.2.3, tampered from R (invalid), to 1.
 * 12 chains sent, 3 of them invalid (all from 3), 4 lies (0 to 2; 3's three relays), 15 batches
 * (3 + 6 + 6: an SM lieutenant sends every batch, empty or not). V1 = V2 = V3 = {A, R}: RETREAT.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GetTraceResponse__Output } from '../../src/net/generated/byzantine/v1/GetTraceResponse.js';
import { WireOrder } from '../../src/net/proto.js';
import { generalTraceOf } from '../../src/net/trace-client.js';
import { parseEventLines, traceFromLogs } from '../../src/report/from-logs.js';
import { renderHtml } from '../../src/report/html.js';
import { buildReport, type ChainView } from '../../src/report/model.js';
import type { RunTrace } from '../../src/report/trace.js';
import { SEED, SM_EXAMPLE, seedRoster, simulatedTrace } from './support.js';

const smTrace = () =>
  simulatedTrace(SM_EXAMPLE.n, SM_EXAMPLE.t, SM_EXAMPLE.order, SM_EXAMPLE.roster, 'sm-example', 'sm');

/** A chain as `round from signers value status`, status `ok`/`IGNORED`, then `lie:LOYAL` if one. */
const rowsOf = (view: ChainView | undefined) =>
  (view?.chains ?? []).map(
    (c) =>
      `${c.round} ${c.from} ${c.signers} ${c.value} ${c.valid ? 'ok' : 'IGNORED'}${c.lie === undefined ? '' : ` lie:${c.lie}`}`,
  );

describe('report model of SM(2), n=4, commander equivocates, 3 flips, order ATTACK', () => {
  const { trace, reports } = smTrace();
  const model = buildReport(trace);
  const view = (id: number) => model.chainViews.find((v) => v.lieutenant === id);

  it('is an SM report: chains per lieutenant, no EIG trees', () => {
    assert.equal(model.algorithm, 'sm');
    assert.deepEqual(model.trees, []);
    assert.deepEqual(
      model.chainViews.map((v) => v.lieutenant),
      [1, 2, 3],
    );
    assert.equal(model.unsafe, false, 'n=4 >= t+2: SM(2) holds');
  });

  it('counts 15 batches, 12 chains sent, 9 valid, 3 ignored, 4 lies', () => {
    assert.equal(model.counts.batches, 15);
    assert.equal(model.counts.batchesExpected, 15);
    assert.equal(model.counts.values, 12);
    assert.equal(model.counts.invalid, 3);
    assert.equal(model.counts.lies, 4);
    assert.equal(model.counts.rejected, 0);
    // At most n-1 + 2(n-1)(n-2) = 3 + 12 chains in any SM run of 4.
    assert.equal(model.counts.valuesExpected, 15);
    assert.deepEqual(
      model.rounds.map((r) => [r.round, r.batches, r.values, r.invalid, r.lies]),
      [
        [0, 3, 3, 0, 1],
        [1, 6, 6, 2, 2],
        [2, 6, 3, 1, 1],
      ],
    );
  });

  it('marks lies and ignored chains on the diagram separately: 0→2 lies validly, 3 tampers', () => {
    const summary = model.arrows
      .filter((a) => a.lies > 0 || (a.invalid ?? 0) > 0)
      .map(
        (a) =>
          `${a.round}:${a.from}→${a.to} ${a.values} ${a.chains?.join(',')} lies=${a.lies} invalid=${a.invalid}`,
      );
    assert.deepEqual(summary, [
      '0:0→2 R 0 lies=1 invalid=0',
      '1:3→1 R 0.3 lies=1 invalid=1',
      '1:3→2 R 0.3 lies=1 invalid=1',
      '2:3→1 A 0.2.3 lies=1 invalid=1',
    ]);
    const empty = model.arrows.filter((a) => a.values === '').map((a) => `${a.round}:${a.from}→${a.to}`);
    // Round 2: 1 and 2 send only to 3, 3 only to 1; the other three batches are empty.
    assert.deepEqual(empty, ['2:1→2', '2:2→1', '2:3→2']);
  });

  it("lists each lieutenant's chains, the ignored ones marked, by round", () => {
    assert.deepEqual(rowsOf(view(1)), [
      '0 0 0 A ok',
      '1 2 0.2 R ok',
      '1 3 0.3 R IGNORED lie:A',
      '2 3 0.2.3 A IGNORED lie:R',
    ]);
    assert.deepEqual(rowsOf(view(2)), ['0 0 0 R ok lie:A', '1 1 0.1 A ok', '1 3 0.3 R IGNORED lie:A']);
    assert.deepEqual(rowsOf(view(3)), [
      '0 0 0 A ok',
      '1 1 0.1 A ok',
      '1 2 0.2 R ok',
      '2 1 0.2.1 R ok',
      '2 2 0.1.2 A ok',
    ]);
  });

  it('recomputes V = {ATTACK, RETREAT} and choice(V) = RETREAT, as each lieutenant reported', () => {
    for (const id of [1, 2, 3]) {
      assert.deepEqual(view(id)?.v, ['ATTACK', 'RETREAT'], `V${id}`);
      assert.equal(view(id)?.decision, 'RETREAT');
      assert.equal(reports.get(id)?.decision, 'RETREAT');
      assert.equal(model.roster[id]?.resolved, 'RETREAT');
    }
    assert.deepEqual(model.warnings, []);
    // Valid chains by value: 1 and 2 hold one of each, 3 holds A three times and R twice.
    assert.deepEqual(
      model.roster.slice(1).map((r) => [r.tally?.attack, r.tally?.retreat, r.valuesHeld]),
      [
        [1, 1, 2],
        [1, 1, 2],
        [3, 2, 5],
      ],
    );
  });

  it('judges IC1 and the consensus on RETREAT (the commander is a traitor, so IC2 holds vacuously)', () => {
    assert.equal(model.verdict.ic1, true);
    assert.equal(model.verdict.ic2, true);
    assert.equal(model.verdict.consensus, 'RETREAT');
    assert.deepEqual(
      model.roster.filter((r) => r.traitor).map((r) => [r.id, r.strategy]),
      [
        [0, 'equivocate'],
        [3, 'flip'],
      ],
    );
  });

  it('warns when a reported decision is not choice(V)', () => {
    const one = trace.generals.get(1);
    assert.ok(one);
    const generals = new Map(trace.generals);
    generals.set(1, { ...one, decision: 'ATTACK' });
    const altered = buildReport({ ...trace, generals });
    assert.deepEqual(altered.warnings, [
      'general 1 reported ATTACK, but V = {ATTACK, RETREAT}, so choice(V) is RETREAT',
    ]);
  });

  it('renders an SM page: title SM(2), chains and V in place of the EIG tree', () => {
    const html = renderHtml(model);
    assert.match(html, /<title>SM\(2\) among 4 generals, order ATTACK/);
    assert.doesNotMatch(html, /id="eig"/);
    assert.match(html, /<section id="chains">/);
    assert.match(html, /id="count-chains">12</);
    assert.match(html, /id="count-invalid">3</);
  });

  it("leaves OM's report as it was: no chains, no chain counts", () => {
    const om = buildReport(simulatedTrace(SEED.n, SEED.t, SEED.order, seedRoster()).trace);
    assert.equal(om.algorithm, 'om');
    assert.deepEqual(om.chainViews, []);
    assert.equal(om.counts.invalid, 0);
    assert.ok(om.arrows.every((a) => a.chains === undefined));
    const html = renderHtml(om);
    assert.match(html, /<section id="eig">/);
    assert.doesNotMatch(html, /id="chains"|count-chains|dash-dot/);
  });
});

/** n=3, t=1, loyal commander ATTACK, lieutenant 2 flips: the events as generals write them. */
function handWrittenLogs(): RunTrace {
  const ev = (general: number, type: string, fields: Record<string, unknown>) =>
    JSON.stringify({ ts: `2024-05-01T10:00:0${general}.000Z`, general, run: 'sm-hand', type, ...fields });
  const started = (general: number, strategy: string, order?: string) =>
    ev(general, 'run-started', { algorithm: 'sm', n: 3, t: 1, strategy, ...(order ? { order } : {}) });
  const text = {
    0: [started(0, 'loyal', 'ATTACK')],
    1: [
      started(1, 'loyal'),
      ev(1, 'batch-received', { round: 0, from: 0, to: 1, values: 'A', chains: ['0'] }),
      ev(1, 'batch-received', { round: 1, from: 2, to: 1, values: 'R', chains: ['0.2'] }),
      ev(1, 'chains-ignored', { round: 1, from: 2, to: 1, chains: [{ chain: '0.2', value: 'RETREAT' }] }),
      ev(1, 'decided', { decision: 'ATTACK', tally: { attack: 1, retreat: 0 } }),
    ],
    2: [
      started(2, 'flip'),
      ev(2, 'batch-received', { round: 0, from: 0, to: 2, values: 'A', chains: ['0'] }),
      ev(2, 'lies', { strategy: 'flip', lies: [[1, 1, '0', 'A', 'R']] }),
      ev(2, 'batch-received', { round: 1, from: 1, to: 2, values: 'A', chains: ['0.1'] }),
      ev(2, 'decided', { decision: 'ATTACK', tally: { attack: 2, retreat: 0 } }),
    ],
  };
  const byGeneral = new Map(
    Object.entries(text).map(([id, lines]) => [Number(id), parseEventLines(lines.join('\n')).events]),
  );
  return traceFromLogs({ byGeneral, skipped: 0 });
}

describe('an SM run read back from hand-written event logs', () => {
  const trace = handWrittenLogs();
  const model = buildReport(trace);

  it('reads the algorithm, the chain signers and the ignored positions', () => {
    assert.equal(trace.algorithm, 'sm');
    assert.deepEqual(trace.generals.get(1)?.received, [
      { round: 0, from: 0, values: 'A', chains: ['0'] },
      { round: 1, from: 2, values: 'R', chains: ['0.2'], invalid: [0] },
    ]);
    assert.deepEqual(trace.generals.get(2)?.received[1], { round: 1, from: 1, values: 'A', chains: ['0.1'] });
  });

  it("shows 1's tampered chain from 2 both as ignored and as 2's lie; V1 = {ATTACK}", () => {
    assert.deepEqual(rowsOf(model.chainViews[0]), ['0 0 0 A ok', '1 2 0.2 R IGNORED lie:A']);
    assert.deepEqual(model.chainViews[0]?.v, ['ATTACK']);
    assert.equal(model.chainViews[0]?.decision, 'ATTACK');
    // Two orders, and one relay each way in round 1, the one from 2 tampered.
    assert.deepEqual([model.counts.values, model.counts.invalid, model.counts.lies], [4, 1, 1]);
    assert.deepEqual(model.warnings, []);
  });
});

describe("GetTrace's SM batches, read by the client", () => {
  it('keeps each chain as its signers and the invalid flags as positions', () => {
    const reply = {
      id: 1,
      runId: 'r',
      generals: 4,
      t: 2,
      strategy: 'loyal',
      order: WireOrder.ORDER_UNSPECIFIED,
      received: [
        {
          round: 1,
          sender: 3,
          values: [WireOrder.ATTACK, WireOrder.RETREAT],
          rejected: '',
          chains: [
            { signers: [0, 3], signatures: [] },
            { signers: [0, 2, 3], signatures: [] },
          ],
          invalid: [false, true],
        },
        { round: 0, sender: 0, values: [WireOrder.ATTACK], rejected: '', chains: [], invalid: [] },
      ],
      lies: [],
      rounds: [],
      decided: false,
      decision: WireOrder.ORDER_UNSPECIFIED,
      tally: null,
      algorithm: 2,
    } as unknown as GetTraceResponse__Output;
    assert.deepEqual(generalTraceOf(reply).received, [
      { round: 1, from: 3, values: 'AR', chains: ['0.3', '0.2.3'], invalid: [1] },
      { round: 0, from: 0, values: 'A' },
    ]);
  });
});
