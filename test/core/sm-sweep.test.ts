import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, parseRunConfig } from '../../src/config/config.js';
import type { Order } from '../../src/core/order.js';
import type { Strategy } from '../../src/core/strategy.js';
import { runInMemory, type SimulationOutcome } from '../../src/sim/network.js';
import { SigningScheme } from '../../src/sim/signing.js';
import { simulate } from '../../src/sim/simulate.js';
import { assignments, binomial, range, subsetsOfSize } from '../support/combinatorics.js';
import { must, roster } from '../support/fixtures.js';

/**
 * SM(t) as whole runs: IC1 always and IC2 under a loyal commander for every traitor set of up to t
 * generals, whatever n >= t+2; and exact chain and RPC counts derived by hand.
 */

const ORDERS: readonly Order[] = ['ATTACK', 'RETREAT'];
const KINDS: readonly Strategy[] = [{ kind: 'equivocate' }, { kind: 'flip' }, { kind: 'silent' }];
const SEEDS = [1, 2];

function sm(n: number, t: number, order: Order, traitors: ReadonlyMap<number, Strategy>, keep = false) {
  return runInMemory(
    {
      runId: `sm-${n}-${t}`,
      n,
      t,
      order,
      roster: traitors,
      algorithm: 'sm',
      signing: SigningScheme.keyedHash,
    },
    keep,
  );
}

const sum = (outcome: SimulationOutcome, key: 'valuesSent' | 'valuesReceived' | 'rpcsSent' | 'lies') =>
  [...outcome.reports.values()].reduce((total, r) => total + r[key], 0);
const invalidOf = (outcome: SimulationOutcome) =>
  [...outcome.reports.values()].reduce((total, r) => total + (r.valuesInvalid ?? 0), 0);

/** Loyal lieutenants' decisions, judged here rather than by the implementation's verdict. */
function judged(
  n: number,
  order: Order,
  traitors: ReadonlyMap<number, Strategy>,
  outcome: SimulationOutcome,
) {
  const decisions = range(1, n)
    .filter((id) => !traitors.has(id))
    .map((id) => must(outcome.reports.get(id), `a report from ${id}`).decision);
  const ic1 = decisions.every((d) => d === decisions[0]);
  const ic2 = traitors.has(0) || decisions.every((d) => d === order);
  return { ic1, ic2 };
}

describe('SM(t): exhaustive small sweeps', () => {
  test('n = 3..6, t = 0..n-2: IC1 always, IC2 with a loyal commander, every tampered chain caught', () => {
    let cases = 0;
    let expected = 0;
    for (let n = 3; n <= 6; n++) {
      for (let t = 0; t <= n - 2; t++) {
        // Per order: C(n, k) traitor sets of each size k <= t, 3^k deterministic assignments plus
        // (for k >= 1) one all-random assignment per seed.
        for (let k = 0; k <= t; k++) expected += 2 * binomial(n, k) * (3 ** k + (k > 0 ? SEEDS.length : 0));
        for (let k = 0; k <= t; k++) {
          for (const ids of subsetsOfSize(range(0, n), k)) {
            const picks = [
              ...assignments(KINDS, k),
              ...(k === 0 ? [] : SEEDS.map((seed) => ids.map((): Strategy => ({ kind: 'random', seed })))),
            ];
            for (const pick of picks) {
              const traitors = new Map(ids.map((id, i) => [id, must(pick[i], 'a strategy')] as const));
              for (const order of ORDERS) {
                cases++;
                const outcome = sm(n, t, order, traitors, true);
                const { ic1, ic2 } = judged(n, order, traitors, outcome);
                const label = `n=${n} t=${t} ${order} ${JSON.stringify([...traitors])}`;
                assert.ok(ic1, `IC1 fails: ${label}`);
                assert.ok(ic2, `IC2 fails: ${label}`);
                // Only a lieutenant's tampered relays are invalid, and each one is caught.
                const tampered = outcome.trace.lies.filter(
                  (l) => l.round > 0 && l.after !== undefined,
                ).length;
                assert.equal(invalidOf(outcome), tampered, `invalid chains: ${label}`);
                // No round waits on a timer unless a general is silent.
                const silent = [...traitors.values()].some((s) => s.kind === 'silent');
                if (!silent) assert.equal(outcome.trace.expiries, 0, `a timer fired: ${label}`);
              }
            }
          }
        }
      }
    }
    assert.equal(cases, expected);
    // 2 x sum over t of (1 + sum over k = 1..t of C(n,k)(3^k + 2)), per n:
    // n=3: 2+32; n=4: 2+42+174; n=5: 2+52+272+852; n=6: 2+62+392+1552+4042.
    assert.equal(cases, 34 + 218 + 1178 + 6050);
  });
});

describe('SM(t): n=4, t=2, a two-faced commander and a flipping lieutenant', () => {
  for (const order of ORDERS) {
    for (const flipper of [1, 2, 3]) {
      test(`order ${order}, lieutenant ${flipper} flips: both loyal lieutenants decide alike`, () => {
        const traitors = roster([0, 'equivocate'], [flipper, 'flip']);
        const outcome = sm(4, 2, order, traitors);
        assert.ok(judged(4, order, traitors, outcome).ic1);
      });
    }
  }

  test('counts for order ATTACK, lieutenant 3 flips, derived by hand', () => {
    // Round 0: 1 and 3 get ATTACK, 2 gets RETREAT (3 chains, 1 lie).
    // Round 1: 1 relays A:0:1 to 2,3; 2 relays R:0:2 to 1,3; 3 tampers A:0 into R:0:3 to 1,2
    //          (6 chains, 2 invalid, 2 lies).
    // Round 2: 1 relays R:0:2:1 to 3; 2 relays A:0:1:2 to 3; 3 tampers R:0:2 into A:0:2:3 to 1
    //          (3 chains, 1 invalid, 1 lie). Loyal 1 and 2 hold V = {A, R}: RETREAT.
    const outcome = sm(4, 2, 'ATTACK', roster([0, 'equivocate'], [3, 'flip']));
    assert.equal(sum(outcome, 'valuesSent'), 12);
    assert.equal(invalidOf(outcome), 3);
    assert.equal(sum(outcome, 'valuesReceived'), 9);
    assert.equal(sum(outcome, 'lies'), 4);
    assert.equal(sum(outcome, 'rpcsSent'), 3 + 2 * 3 * 2);
    assert.equal(outcome.reports.get(1)?.decision, 'RETREAT');
    assert.equal(outcome.reports.get(2)?.decision, 'RETREAT');
  });

  test('the same roster under OM is refused (n <= 3t); under SM it is accepted', () => {
    const flags = { generals: '4', t: '2', traitors: '0:equivocate,3:flip' };
    assert.throws(
      () => parseRunConfig(flags),
      (e: unknown) => e instanceof ConfigError && /--algorithm sm/.test(e.message),
    );
    const config = parseRunConfig({ ...flags, algorithm: 'sm' });
    assert.equal(config.algorithm, 'sm');
    assert.equal(config.t, 2);
  });
});

describe('SM(t): exact counts, derived by hand', () => {
  const shapes: Array<[number, number]> = [];
  for (let n = 3; n <= 7; n++) for (let t = 1; t <= n - 2; t++) shapes.push([n, t]);

  test('all loyal, t >= 1: (n-1) + (n-1)(n-2) chains, all valid; n-1 + t(n-1)(n-2) RPCs; no timer', () => {
    for (const [n, t] of shapes) {
      const outcome = sm(n, t, 'ATTACK', new Map(), true);
      const chains = n - 1 + (n - 1) * (n - 2);
      assert.equal(sum(outcome, 'valuesSent'), chains, `n=${n} t=${t}`);
      assert.equal(sum(outcome, 'valuesReceived'), chains, `n=${n} t=${t}`);
      assert.equal(invalidOf(outcome), 0);
      assert.equal(sum(outcome, 'rpcsSent'), n - 1 + t * (n - 1) * (n - 2), `n=${n} t=${t}`);
      assert.equal(outcome.trace.expiries, 0);
      for (let id = 1; id < n; id++) {
        // Each lieutenant: the order, then one relay from each of the other n-2.
        assert.deepEqual(outcome.reports.get(id)?.tally, { attack: n - 1, retreat: 0 });
      }
    }
  });

  test('t = 0: the commander order only, n-1 chains and n-1 RPCs', () => {
    for (let n = 2; n <= 7; n++) {
      const outcome = sm(n, 0, 'RETREAT', new Map());
      assert.equal(sum(outcome, 'valuesSent'), n - 1);
      assert.equal(sum(outcome, 'rpcsSent'), n - 1);
      for (let id = 1; id < n; id++) assert.equal(outcome.reports.get(id)?.decision, 'RETREAT');
    }
  });

  test('a two-faced commander, loyal lieutenants, t >= 2: (n-1) + (n-1)(n-2) + (n-1)(n-3) chains', () => {
    for (const [n, t] of shapes.filter(([, t]) => t >= 2)) {
      const outcome = sm(n, t, 'ATTACK', roster([0, 'equivocate']));
      const chains = n - 1 + (n - 1) * (n - 2) + (n - 1) * (n - 3);
      assert.equal(sum(outcome, 'valuesSent'), chains, `n=${n} t=${t}`);
      assert.equal(sum(outcome, 'valuesReceived'), chains);
      assert.equal(invalidOf(outcome), 0);
      // The commander lies to each even lieutenant.
      assert.equal(sum(outcome, 'lies'), Math.floor((n - 1) / 2));
      for (let id = 1; id < n; id++) assert.equal(outcome.reports.get(id)?.decision, 'RETREAT');
    }
  });

  test('a two-faced commander with t = 1: both values reach everyone but are not relayed again', () => {
    for (let n = 3; n <= 7; n++) {
      const outcome = sm(n, 1, 'ATTACK', roster([0, 'equivocate']));
      assert.equal(sum(outcome, 'valuesSent'), n - 1 + (n - 1) * (n - 2));
    }
  });

  test('a silent lieutenant, loyal commander: (n-1) + (n-2)^2 chains, n-1 + t(n-2)^2 RPCs, t timers', () => {
    for (const [n, t] of shapes) {
      const outcome = sm(n, t, 'ATTACK', roster([n - 1, 'silent']), true);
      // Round 1: the n-2 loyal lieutenants each relay to the n-2 others, the silent one included;
      // the silent one sends nothing, ever, and withholds n-2 relays (its lies).
      const chains = n - 1 + (n - 2) ** 2;
      assert.equal(sum(outcome, 'valuesSent'), chains, `n=${n} t=${t}`);
      assert.equal(sum(outcome, 'valuesReceived'), chains);
      assert.equal(sum(outcome, 'rpcsSent'), n - 1 + t * (n - 2) ** 2);
      assert.equal(sum(outcome, 'lies'), n - 2);
      // Every loyal lieutenant waits out rounds 1..t for the silent one.
      assert.equal(outcome.trace.expiries, t);
      for (let id = 1; id < n - 1; id++) assert.equal(outcome.reports.get(id)?.decision, 'ATTACK');
    }
  });

  test('a flipping lieutenant, loyal commander: its n-2 relays are tampered, caught and ignored', () => {
    for (const [n, t] of shapes) {
      const outcome = sm(n, t, 'RETREAT', roster([1, 'flip']));
      assert.equal(sum(outcome, 'valuesSent'), n - 1 + (n - 1) * (n - 2));
      assert.equal(invalidOf(outcome), n - 2);
      assert.equal(sum(outcome, 'valuesReceived'), n - 1 + (n - 2) ** 2);
      assert.equal(sum(outcome, 'lies'), n - 2);
      assert.equal(sum(outcome, 'rpcsSent'), n - 1 + t * (n - 1) * (n - 2));
      for (let id = 2; id < n; id++) assert.equal(outcome.reports.get(id)?.decision, 'RETREAT');
    }
  });
});

describe('SM(t) through simulate (real Ed25519 keys)', () => {
  test('the result names SM and counts chains sent, delivered and invalid', () => {
    const result = simulate({
      n: 4,
      t: 2,
      order: 'ATTACK',
      roster: roster([0, 'equivocate'], [3, 'flip']),
      algorithm: 'sm',
    });
    assert.equal(result.algorithm, 'sm');
    assert.equal(result.unsafe, false, 'n=4 >= t+2');
    assert.ok(result.ic1);
    assert.ok(result.ic2, 'vacuous: the commander is a traitor');
    assert.deepEqual(result.messages, { expected: 12, delivered: 9, invalid: 3 });
    assert.equal(result.rpcs, 15);
    assert.equal(result.consensus, 'RETREAT');
    assert.deepEqual(
      result.generals.map((g) => g.valuesInvalid),
      [0, 2, 1, 0],
      'lieutenant 1 ignores R:0:3 and A:0:2:3; lieutenant 2 ignores R:0:3',
    );
  });
});
