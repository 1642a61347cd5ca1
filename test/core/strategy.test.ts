import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OmRun } from '../../src/core/om/om-run.js';
import type { Order } from '../../src/core/order.js';
import {
  DETERMINISTIC_TRAITOR_STRATEGIES,
  formatStrategy,
  isTraitor,
  parseStrategy,
  type Strategy,
  StrategyParseError,
  valueToSend,
} from '../../src/core/strategy.js';
import { runInMemory } from '../../src/sim/network.js';
import { range } from '../support/combinatorics.js';
import { accepted, batch, must, roster, sentByReceiver } from '../support/fixtures.js';

const ORDERS: readonly Order[] = ['ATTACK', 'RETREAT'];
const other = (v: Order): Order => (v === 'ATTACK' ? 'RETREAT' : 'ATTACK');

describe("DESIGN.md's strategy table, value by value", () => {
  /** Every context a strategy could depend on, over a small grid. */
  const contexts = range(0, 10).flatMap((receiver) =>
    [0, 1, 2, 3].flatMap((round) => [0, 1, 5].map((index) => ({ sender: 3, receiver, round, index }))),
  );

  test('loyal sends v', () => {
    for (const v of ORDERS) for (const to of contexts) assert.equal(valueToSend({ kind: 'loyal' }, v, to), v);
  });

  test('equivocate sends the opposite of v to even receivers and v to odd ones', () => {
    for (const v of ORDERS) {
      for (const to of contexts) {
        const expected = to.receiver % 2 === 0 ? other(v) : v;
        assert.equal(valueToSend({ kind: 'equivocate' }, v, to), expected, `v=${v} to ${to.receiver}`);
      }
    }
  });

  test('flip always sends the opposite of v', () => {
    for (const v of ORDERS)
      for (const to of contexts) assert.equal(valueToSend({ kind: 'flip' }, v, to), other(v));
  });

  test('silent sends nothing', () => {
    for (const v of ORDERS)
      for (const to of contexts) assert.equal(valueToSend({ kind: 'silent' }, v, to), undefined);
  });

  test('random:SEED is a function of the seed and the message: the same seed replays the same values', () => {
    const a: Strategy = { kind: 'random', seed: 42 };
    const b = parseStrategy('random:42');
    for (const v of ORDERS) {
      for (const to of contexts) {
        const first = valueToSend(a, v, to);
        assert.ok(first === 'ATTACK' || first === 'RETREAT');
        assert.equal(valueToSend(a, v, to), first);
        assert.equal(valueToSend(b, v, to), first);
      }
    }
  });

  test('random:SEED draws both values, and a different seed differs somewhere', () => {
    const many = range(0, 2000).map((i) => ({
      sender: i % 7,
      receiver: (i >> 3) % 11,
      round: i % 4,
      index: i,
    }));
    for (const seed of [0, 1, 42, 4294967295]) {
      const drawn = many.map((to) => valueToSend({ kind: 'random', seed }, 'ATTACK', to));
      const attacks = drawn.filter((v) => v === 'ATTACK').length;
      assert.ok(attacks > 0 && attacks < drawn.length, `seed ${seed} draws both values (${attacks} ATTACK)`);
    }
    const one = many.map((to) => valueToSend({ kind: 'random', seed: 1 }, 'ATTACK', to));
    const two = many.map((to) => valueToSend({ kind: 'random', seed: 2 }, 'ATTACK', to));
    assert.ok(
      one.some((v, i) => v !== two[i]),
      'seeds 1 and 2 differ on some message',
    );
  });

  test('only loyal is not a traitor; the deterministic traitor strategies are equivocate, flip and silent', () => {
    assert.equal(isTraitor({ kind: 'loyal' }), false);
    for (const kind of ['equivocate', 'flip', 'silent'] as const) assert.equal(isTraitor({ kind }), true);
    assert.equal(isTraitor({ kind: 'random', seed: 7 }), true);
    assert.deepEqual(
      DETERMINISTIC_TRAITOR_STRATEGIES.map((s) => s.kind),
      ['equivocate', 'flip', 'silent'],
    );
  });
});

describe('parsing a strategy', () => {
  test('accepts loyal, equivocate, flip, silent and random:SEED, and prints them back as given', () => {
    for (const kind of ['loyal', 'equivocate', 'flip', 'silent'] as const) {
      assert.deepEqual(parseStrategy(kind), { kind });
      assert.equal(formatStrategy(parseStrategy(kind)), kind);
    }
    assert.deepEqual(parseStrategy('random:42'), { kind: 'random', seed: 42 });
    assert.deepEqual(parseStrategy('random:0'), { kind: 'random', seed: 0 });
    assert.deepEqual(parseStrategy('random:4294967295'), { kind: 'random', seed: 4294967295 });
    assert.equal(formatStrategy(parseStrategy('random:123')), 'random:123');
  });

  test('refuses unknown names and bad seeds with a message that names the bad value', () => {
    const bad = [
      'traitor',
      'flipper',
      '',
      'random',
      'random:',
      'random:-1',
      'random:abc',
      'random:1.5',
      'random:4294967296',
      'random:99999999999',
      'random:7x',
    ];
    for (const text of bad) {
      assert.throws(
        () => parseStrategy(text),
        (error: unknown) => {
          assert.ok(
            error instanceof StrategyParseError,
            `${JSON.stringify(text)} throws a StrategyParseError`,
          );
          assert.ok(
            error.message.includes(`"${text}"`),
            `message names ${JSON.stringify(text)}: ${error.message}`,
          );
          return true;
        },
      );
    }
  });
});

describe('strategies inside a run', () => {
  const n = 6;
  const commanderSends = (strategy: Strategy, order: Order): Map<number, readonly Order[]> =>
    sentByReceiver(new OmRun({ runId: 'r', id: 0, n, t: 1, strategy, order }).start(), 0);

  test('a traitor commander applies its strategy to the order it issues in round 0', () => {
    for (const order of ORDERS) {
      assert.deepEqual(
        commanderSends({ kind: 'loyal' }, order),
        new Map(range(1, n).map((j) => [j, [order]])),
      );
      assert.deepEqual(
        commanderSends({ kind: 'equivocate' }, order),
        new Map(range(1, n).map((j) => [j, [j % 2 === 0 ? other(order) : order]])),
      );
      assert.deepEqual(
        commanderSends({ kind: 'flip' }, order),
        new Map(range(1, n).map((j) => [j, [other(order)]])),
      );
      assert.deepEqual(
        commanderSends({ kind: 'silent' }, order),
        new Map(),
        'a silent commander sends no batch',
      );
    }
  });

  test('a traitor lieutenant applies its strategy to what it relays', () => {
    const relays = (strategy: Strategy): Map<number, readonly Order[]> => {
      const g = new OmRun({ runId: 'r', id: 3, n, t: 1, strategy });
      return sentByReceiver(accepted(g.receive(batch(0, 0, 3, ['ATTACK']))), 1);
    };
    const others = [1, 2, 4, 5];
    assert.deepEqual(relays({ kind: 'loyal' }), new Map(others.map((j) => [j, ['ATTACK']])));
    assert.deepEqual(
      relays({ kind: 'equivocate' }),
      new Map(others.map((j) => [j, [j % 2 === 0 ? 'RETREAT' : 'ATTACK']])),
    );
    assert.deepEqual(relays({ kind: 'flip' }), new Map(others.map((j) => [j, ['RETREAT']])));
    assert.deepEqual(relays({ kind: 'silent' }), new Map(), 'a silent lieutenant sends no batch');
  });

  test('each lie is recorded with the value before and after: an equivocating commander lies to 2 and 4 of n=6', () => {
    const g = new OmRun({
      runId: 'r',
      id: 0,
      n,
      t: 1,
      strategy: { kind: 'equivocate' },
      order: 'ATTACK',
    });
    const step = g.start();
    assert.deepEqual(
      step.lies.map((l) => [l.receiver, l.round, [...l.path], l.before, l.after]),
      [
        [2, 0, [0], 'ATTACK', 'RETREAT'],
        [4, 0, [0], 'ATTACK', 'RETREAT'],
      ],
    );
    assert.equal(g.lies, 2);
  });

  test('a silent traitor sends no batch in any round (n=4 t=1, n=7 t=2, n=10 t=3)', () => {
    for (const [n, t, silent] of [
      [4, 1, 2],
      [7, 2, 0],
      [7, 2, 5],
      [10, 3, 3],
    ] as const) {
      const { trace } = runInMemory(
        { runId: 's', n, t, order: 'ATTACK', roster: roster([silent, 'silent']) },
        true,
      );
      const fromSilent = trace.deliveries.filter((d) => d.batch.sender === silent);
      assert.deepEqual(fromSilent, [], `n=${n} t=${t}: general ${silent} sent batches`);
      assert.ok(trace.deliveries.length > 0);
    }
  });

  test('a silent traitor sends no batch even in rounds whose batches are empty (n=3 t=2, n=4 t=3)', () => {
    // When t >= n-2 the last round's batches carry P(n-3, t-1) = 0 values. A loyal general still
    // sends them (the receiver expects the batch), but "silent" means nothing, in every round.
    for (const [n, t] of [
      [3, 2],
      [4, 3],
    ] as const) {
      const { trace } = runInMemory(
        { runId: 's', n, t, order: 'ATTACK', roster: roster([1, 'silent']) },
        true,
      );
      const fromSilent = trace.deliveries
        .filter((d) => d.batch.sender === 1)
        .map((d) => `round ${d.batch.round} to ${d.batch.receiver} (${d.batch.values.length} values)`);
      assert.deepEqual(fromSilent, [], `n=${n} t=${t}: the silent general 1 sent batches`);
    }
  });

  test('a run with random:SEED traitors replays exactly given the seeds, and another seed tells other lies', () => {
    const run = (seed: number) =>
      runInMemory(
        {
          runId: 'random',
          n: 7,
          t: 2,
          order: 'ATTACK',
          roster: new Map<number, Strategy>([
            [0, { kind: 'random', seed }],
            [4, { kind: 'random', seed: seed + 1 }],
          ]),
        },
        true,
      );
    const describeRun = (outcome: ReturnType<typeof run>) => ({
      lies: outcome.trace.lies,
      sent: outcome.trace.deliveries.map((d) => d.batch),
      decisions: [...outcome.reports.values()].map((r) => r.decision),
    });
    assert.deepEqual(describeRun(run(11)), describeRun(run(11)));
    const a = describeRun(run(11)).sent;
    const b = describeRun(run(12)).sent;
    assert.ok(
      a.some((x, i) => JSON.stringify(x.values) !== JSON.stringify(must(b[i], 'a batch').values)),
      'seeds 11 and 12 send different values somewhere',
    );
  });
});
