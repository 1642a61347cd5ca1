import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logicalMessages, rpcsExpected, valuesPerLieutenant } from '../../src/core/om/counts.js';
import type { Order } from '../../src/core/order.js';
import { arrangements, pathKey } from '../../src/core/paths.js';
import type { Strategy } from '../../src/core/strategy.js';
import { parseEventLines, traceFromLogs } from '../../src/report/from-logs.js';
import { renderHtml } from '../../src/report/html.js';
import { AGGREGATE_ABOVE, batchPaths, buildReport, subtreeSize } from '../../src/report/model.js';
import { SEED, seedRoster, simulatedTrace } from './support.js';

const seed = () => simulatedTrace(SEED.n, SEED.t, SEED.order, seedRoster());

/** Values an equivocating lieutenant relays to one receiver over rounds 1..t: 1 + (n-3) + (n-3)(n-4) + ... */
const relayedPerReceiver = (n: number, t: number) => {
  let total = 0;
  for (let r = 1; r <= t; r++) total += arrangements(n - 3, r - 1);
  return total;
};

describe('report model of the seed example (n=10, traitors 3,4,7 equivocate, ATTACK, t=3)', () => {
  const { trace, reports } = seed();
  const model = buildReport(trace);

  it('counts every batch and every value exactly: 225 batches, 3,609 values', () => {
    assert.equal(model.arrows.length, 225);
    assert.equal(model.counts.batches, 225);
    assert.equal(model.counts.batchesExpected, rpcsExpected(10, 3));
    assert.equal(model.counts.values, 3609);
    assert.equal(model.counts.valuesExpected, logicalMessages(10, 3));
    assert.equal(model.counts.rejected, 0);
    assert.deepEqual(
      model.rounds.map((r) => [r.round, r.batches, r.batchesExpected, r.values]),
      [
        [0, 9, 9, 9],
        [1, 72, 72, 72],
        [2, 72, 72, 504],
        [3, 72, 72, 3024],
      ],
    );
  });

  it('counts every lie: each equivocator flips all it relays to even receivers (550 values)', () => {
    // Receivers that are even lieutenants other than the traitor: 3 -> 2,4,6,8; 4 -> 2,6,8; 7 -> 2,4,6,8.
    const perReceiver = relayedPerReceiver(10, 3);
    assert.equal(perReceiver, 50);
    assert.equal(model.counts.lies, (4 + 3 + 4) * perReceiver);
    assert.equal(model.counts.lies, 550);
    assert.deepEqual(
      model.rounds.map((r) => r.lies),
      [0, 11, 77, 462],
    );
    const lied = model.arrows.filter((a) => a.lies > 0);
    assert.equal(lied.length, 11 * 3);
    for (const a of lied) {
      assert.ok(SEED.traitors.includes(a.from as 3 | 4 | 7), `lie from loyal general ${a.from}`);
      assert.equal(a.to % 2, 0);
      assert.equal(a.lies, a.values.length, 'equivocate flips every value it sends to an even receiver');
      assert.equal(a.lieMask, '1'.repeat(a.values.length));
    }
    const honest = model.arrows.filter((a) => a.lies === 0);
    for (const a of honest) assert.equal(a.lieMask, '');
    assert.equal(model.withheld.length, 0);
  });

  it('has a lane per general and the roster of the run', () => {
    assert.equal(model.roster.length, 10);
    assert.deepEqual(
      model.roster.filter((r) => r.traitor).map((r) => [r.id, r.strategy]),
      [
        [3, 'equivocate'],
        [4, 'equivocate'],
        [7, 'equivocate'],
      ],
    );
    assert.equal(model.roster[0]?.role, 'commander');
    assert.equal(model.roster[0]?.decision, 'ATTACK');
  });

  it("resolves each lieutenant's EIG tree to the decision it reported", () => {
    assert.equal(model.trees.length, 9);
    for (const tree of model.trees) {
      assert.equal(tree.held.length, valuesPerLieutenant(10, 3));
      assert.equal(tree.held.length, 401);
      assert.equal(tree.resolved.length, 401);
      assert.ok(!tree.held.includes('-'), `lieutenant ${tree.lieutenant} misses values`);
      const reported = reports.get(tree.lieutenant)?.decision;
      assert.equal(tree.decision, reported, `lieutenant ${tree.lieutenant}`);
      assert.equal(tree.resolved[0], reported === 'ATTACK' ? 'A' : 'R');
      const roster = model.roster[tree.lieutenant];
      assert.equal(roster?.resolved, reported);
      assert.equal(roster?.tally?.attack, reports.get(tree.lieutenant)?.tally.attack);
    }
    assert.deepEqual(model.warnings, []);
  });

  it('marks in each tree the values that were lies: 50 per equivocator for an even lieutenant, none for an odd one', () => {
    for (const tree of model.trees) {
      const liars = SEED.traitors.filter((id) => id !== tree.lieutenant).length;
      const expected = tree.lieutenant % 2 === 0 ? liars * 50 : 0;
      assert.equal(tree.lied.length, expected, `lieutenant ${tree.lieutenant}`);
      for (const [, sender] of tree.lied) assert.ok(SEED.traitors.includes(sender as 3 | 4 | 7));
    }
  });

  it('judges IC1 and IC2 from the reported decisions', () => {
    assert.equal(model.verdict.ic1, true);
    assert.equal(model.verdict.ic2, true);
    assert.equal(model.verdict.consensus, 'ATTACK');
    assert.deepEqual(model.verdict.byDecision.ATTACK, [1, 2, 5, 6, 8, 9]);
  });

  it('draws one arrow per batch below the threshold', () => {
    assert.ok(model.arrows.length <= AGGREGATE_ABOVE);
    assert.equal(model.aggregated, false);
  });
});

describe('EIG tree layout', () => {
  it('spans 401 preorder entries for the root of n=10, t=3, and splits exactly into its children', () => {
    assert.equal(subtreeSize(10, 3, 1), 401);
    assert.equal(subtreeSize(10, 3, 2), 1 + 7 * (1 + 6));
    assert.equal(subtreeSize(10, 3, 4), 1);
    for (const [n, t] of [
      [4, 1],
      [7, 2],
      [10, 3],
      [31, 3],
    ] as const) {
      assert.equal(subtreeSize(n, t, 1), valuesPerLieutenant(n, t), `n=${n} t=${t}`);
      for (let length = 1; length <= t; length++) {
        const children = n - 1 - length;
        assert.equal(subtreeSize(n, t, length), 1 + children * subtreeSize(n, t, length + 1));
      }
    }
  });

  it('lists the paths of a batch in wire order, each ending with its sender', () => {
    assert.deepEqual(batchPaths(10, 0, 0, 5), [[0]]);
    assert.deepEqual(batchPaths(10, 1, 3, 5), [[0, 3]]);
    const round2 = batchPaths(10, 2, 3, 5).map(pathKey);
    assert.deepEqual(round2, ['0.1.3', '0.2.3', '0.4.3', '0.6.3', '0.7.3', '0.8.3', '0.9.3']);
    assert.equal(batchPaths(10, 3, 3, 5).length, arrangements(7, 2));
  });
});

describe('tree resolution against reported decisions, every small case', () => {
  const kinds: Strategy['kind'][] = ['equivocate', 'flip', 'silent'];
  for (const [n, t] of [
    [4, 1],
    [5, 1],
    [7, 2],
  ] as const) {
    it(`n=${n}, t=${t}: every pair of traitors, every strategy, both orders`, () => {
      let cases = 0;
      for (let a = 0; a < n; a++) {
        for (let b = a + 1; b < n; b++) {
          for (const kind of kinds) {
            for (const order of ['ATTACK', 'RETREAT'] as Order[]) {
              const roster = new Map<number, Strategy>([
                [a, { kind } as Strategy],
                [b, { kind: 'flip' }],
              ]);
              const { trace, reports } = simulatedTrace(n, t, order, roster);
              const model = buildReport(trace);
              for (const tree of model.trees) {
                assert.equal(tree.decision, reports.get(tree.lieutenant)?.decision);
              }
              assert.deepEqual(model.warnings, []);
              cases++;
            }
          }
        }
      }
      assert.equal(cases, ((n * (n - 1)) / 2) * kinds.length * 2);
    });
  }
});

describe('a silent traitor', () => {
  it('sends no batch: its 24 batches are withheld (400 values), the rest arrive', () => {
    const roster = new Map<number, Strategy>([[4, { kind: 'silent' }]]);
    const { trace } = simulatedTrace(10, 3, 'ATTACK', roster);
    const model = buildReport(trace);
    assert.equal(model.arrows.length, 225 - 3 * 8);
    assert.equal(model.withheld.length, 3 * 8);
    assert.equal(model.counts.withheldValues, 8 * relayedPerReceiver(10, 3));
    assert.equal(model.counts.values, 3609 - 400);
    for (const tree of model.trees) {
      if (tree.lieutenant === 4) continue;
      assert.equal([...tree.held].filter((c) => c === '-').length, relayedPerReceiver(10, 3));
    }
  });
});

describe('large runs', () => {
  it('aggregate arrows past the threshold (n=16, t=2: 435 batches)', () => {
    const { trace } = simulatedTrace(16, 2, 'ATTACK', new Map([[5, { kind: 'flip' }]]));
    const model = buildReport(trace);
    assert.equal(model.arrows.length, rpcsExpected(16, 2));
    assert.equal(model.arrows.length, 435);
    assert.equal(model.aggregated, true);
    const html = renderHtml(model);
    assert.equal(html.match(/<line class="arrow/g)?.length ?? 0, 0);
    // One fan per (round, sender): 1 + 2 * 15; the liar's two fans split into an honest and a lying path
    // (it lies to every receiver, so only a lying path), nobody is refused.
    assert.equal(html.match(/<path class="fan[^"]*" data-fan/g)?.length, 1 + 2 * 15);
    assert.equal(html.match(/<path class="fan lie" data-fan/g)?.length, 2);
  });
});

describe('report from JSON-lines events', () => {
  it('rebuilds the same model as the in-memory trace from the events a general logs', () => {
    const { trace } = seed();
    const lines = new Map<number, string[]>();
    const ts = '2026-01-01T00:00:00.000Z';
    for (const g of trace.generals.values()) {
      const out: string[] = [];
      const event = (type: string, fields: object) =>
        out.push(JSON.stringify({ ts, general: g.id, type, run: trace.runId, ...fields }));
      event('run-started', {
        n: trace.n,
        t: trace.t,
        strategy: g.strategy,
        ...(g.id === 0 ? { order: trace.order } : {}),
      });
      out.push(JSON.stringify({ ts, general: g.id, type: 'notice', message: 'ignored' }));
      for (const b of g.received)
        event('batch-received', { round: b.round, from: b.from, to: g.id, values: b.values });
      if (g.lies.length > 0) {
        event('lies', {
          strategy: g.strategy,
          lies: g.lies.map((l) => [l.round, l.to, l.path.join('.'), l.before[0], l.after?.[0] ?? '-']),
        });
      }
      if (g.decision !== undefined) event('decided', { decision: g.decision, tally: g.tally });
      lines.set(g.id, out);
    }
    const byGeneral = new Map([...lines].map(([id, l]) => [id, parseEventLines(l.join('\n')).events]));
    const fromLogs = buildReport(traceFromLogs({ byGeneral, skipped: 0 }));
    const fromMemory = buildReport(trace);
    assert.deepEqual(fromLogs.arrows, fromMemory.arrows);
    assert.deepEqual(fromLogs.trees, fromMemory.trees);
    assert.deepEqual(fromLogs.counts, fromMemory.counts);
    assert.deepEqual(fromLogs.verdict, fromMemory.verdict);
  });

  it('counts malformed lines as skipped and ignores events it does not use', () => {
    const text = [
      'not json',
      JSON.stringify({ type: 'batch-sent', run: 'r', general: 1 }),
      JSON.stringify({
        type: 'batch-received',
        run: 'r',
        general: 1,
        ts: 'x',
        round: 0,
        from: 0,
        values: 'AXR',
      }),
      '',
    ].join('\n');
    const parsed = parseEventLines(text);
    assert.equal(parsed.events.length, 0);
    assert.equal(parsed.skipped, 2);
  });
});

describe('the HTML', () => {
  it('is self-contained: no external script, style, image or link', () => {
    const html = renderHtml(buildReport(seed().trace));
    assert.doesNotMatch(html, /<link\b/i);
    assert.doesNotMatch(html, /\bsrc=/i);
    assert.doesNotMatch(html, /url\((?!#)/i);
    assert.doesNotMatch(html, /https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    assert.equal(html.match(/<line class="arrow[^"]*"/g)?.length, 225);
    assert.equal(html.match(/<line class="arrow lie"/g)?.length, 33);
    assert.equal(html.match(/<g class="lane/g)?.length, 10);
  });
});

describe('refused batches', () => {
  it('are drawn as rejected arrows when they name a real sender and round, and only counted otherwise', () => {
    const { trace } = seed();
    const five = trace.generals.get(5) ?? assert.fail('no general 5');
    const generals = new Map(trace.generals);
    generals.set(5, {
      ...five,
      received: [
        ...five.received,
        { round: 2, from: 3, values: '', rejected: 'duplicate' },
        { round: 1, from: 99, values: '', rejected: 'not-a-peer' },
        { round: 7, from: 2, values: '', rejected: 'round-out-of-range' },
      ],
    });
    const model = buildReport({ ...trace, generals });
    assert.equal(model.counts.batches, 225);
    assert.equal(model.counts.values, 3609);
    assert.equal(model.counts.rejected, 1);
    const refused = model.arrows.filter((a) => a.rejected !== undefined);
    assert.deepEqual(
      refused.map((a) => [a.round, a.from, a.to, a.rejected]),
      [[2, 3, 5, 'duplicate']],
    );
    assert.deepEqual(model.warnings, [
      '2 refused batch(es) claimed a sender or round outside this run and are not drawn',
    ]);
    assert.equal(model.trees.find((t) => t.lieutenant === 5)?.decision, 'ATTACK');
    const html = renderHtml(model);
    assert.equal(html.match(/<line class="arrow rejected"/g)?.length, 1);
  });
});
