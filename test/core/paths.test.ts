import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pathTable } from '../../src/core/om/path-table.js';
import { arrangements, COMMANDER, type Path, pathKey, pathsOfLength } from '../../src/core/paths.js';
import { fallingFactorial, range, subsetsOfSize } from '../support/combinatorics.js';
import { must } from '../support/fixtures.js';

function lexicographicallyBefore(a: Path, b: Path): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = must(a[i], 'an id');
    const y = must(b[i], 'an id');
    if (x !== y) return x < y;
  }
  return a.length < b.length;
}

describe('EIG paths', () => {
  test('the commander is general 0', () => {
    assert.equal(COMMANDER, 0);
  });

  test('paths of length 1, 2 and 3 among 4 generals, listed by hand, in lexicographic order', () => {
    const none = new Set<number>();
    assert.deepEqual(pathsOfLength(4, 1, none), [[0]]);
    assert.deepEqual(pathsOfLength(4, 2, none), [
      [0, 1],
      [0, 2],
      [0, 3],
    ]);
    assert.deepEqual(pathsOfLength(4, 3, none), [
      [0, 1, 2],
      [0, 1, 3],
      [0, 2, 1],
      [0, 2, 3],
      [0, 3, 1],
      [0, 3, 2],
    ]);
    assert.deepEqual(pathsOfLength(4, 4, none), [
      [0, 1, 2, 3],
      [0, 1, 3, 2],
      [0, 2, 1, 3],
      [0, 2, 3, 1],
      [0, 3, 1, 2],
      [0, 3, 2, 1],
    ]);
  });

  test('excluded generals never appear: n=5, length 3, without general 2', () => {
    assert.deepEqual(pathsOfLength(5, 3, new Set([2])), [
      [0, 1, 3],
      [0, 1, 4],
      [0, 3, 1],
      [0, 3, 4],
      [0, 4, 1],
      [0, 4, 3],
    ]);
    assert.deepEqual(pathsOfLength(5, 2, new Set([1, 3])), [
      [0, 2],
      [0, 4],
    ]);
  });

  test('there is no path longer than the number of generals, and none of length 0', () => {
    assert.deepEqual(pathsOfLength(4, 5, new Set()), []);
    assert.deepEqual(pathsOfLength(4, 0, new Set()), []);
  });

  test('every enumeration starts at the commander, repeats nothing, avoids the excluded, is sorted, and has P(n-1-|excluded|, length-1) paths', () => {
    let checked = 0;
    for (let n = 2; n <= 7; n++) {
      const lieutenants = range(1, n);
      for (let size = 0; size <= Math.min(2, lieutenants.length); size++) {
        for (const excludedList of subsetsOfSize(lieutenants, size)) {
          const excluded = new Set(excludedList);
          for (let length = 1; length <= n + 1; length++) {
            const paths = pathsOfLength(n, length, excluded);
            assert.equal(
              paths.length,
              fallingFactorial(n - 1 - size, length - 1),
              `n=${n} length=${length} excluded=${excludedList}`,
            );
            const keys = new Set(paths.map(pathKey));
            assert.equal(keys.size, paths.length, 'no path repeats');
            paths.forEach((p, i) => {
              assert.equal(p.length, length);
              assert.equal(p[0], COMMANDER, 'the commander comes first');
              assert.equal(new Set(p).size, p.length, `no general twice in ${pathKey(p)}`);
              for (const id of p) {
                assert.ok(Number.isInteger(id) && id >= 0 && id < n, `id ${id} is a general of n=${n}`);
                assert.ok(!excluded.has(id), `excluded ${id} absent from ${pathKey(p)}`);
              }
              const previous = paths[i - 1];
              if (previous !== undefined) assert.ok(lexicographicallyBefore(previous, p), 'canonical order');
            });
            checked++;
          }
        }
      }
    }
    assert.ok(checked > 100);
  });

  test('arrangements is the falling factorial k(k-1)...(k-count+1), 0 when count exceeds k', () => {
    assert.equal(arrangements(5, 0), 1);
    assert.equal(arrangements(5, 1), 5);
    assert.equal(arrangements(5, 2), 20);
    assert.equal(arrangements(5, 3), 60);
    assert.equal(arrangements(5, 5), 120);
    assert.equal(arrangements(5, 6), 0);
    assert.equal(arrangements(0, 0), 1);
    assert.equal(arrangements(8, 3), 336);
  });

  test('pathKey joins ids with dots', () => {
    assert.equal(pathKey([0, 3, 1]), '0.3.1');
    assert.equal(pathKey([0]), '0');
  });
});

describe('a lieutenant path table (the wire order both ends agree on)', () => {
  test('a lieutenant holds one value per path from the commander that avoids it: 401 for n=10, t=3', () => {
    const table = pathTable(10, 3, 4);
    assert.equal(table.size, 1 + 8 + 8 * 7 + 8 * 7 * 6);
    assert.deepEqual(table.path(0), [0]);
    for (const p of table.paths) assert.ok(!p.includes(4));
  });

  test('what sender i relays to j in round r is, value for value, what j stores under path + i', () => {
    for (const [n, t] of [
      [4, 1],
      [5, 2],
      [7, 2],
      [6, 3],
    ] as const) {
      for (const i of range(1, n)) {
        for (const j of range(1, n)) {
          if (i === j) continue;
          const sent = pathTable(n, t, i);
          const held = pathTable(n, t, j);
          const fromCommander = [...held.incomingIndices(0, COMMANDER)].map((x) => held.path(x));
          assert.deepEqual(fromCommander, [[0]], 'round 0 lands on (0)');
          for (let round = 1; round <= t; round++) {
            const canonical = pathsOfLength(n, round, new Set([i, j]));
            const outgoing = [...sent.outgoingIndices(round, j)].map((x) => sent.path(x));
            assert.deepEqual(outgoing, canonical, `n=${n} t=${t} round ${round}: ${i} sends to ${j}`);
            const incoming = [...held.incomingIndices(round, i)].map((x) => held.path(x));
            assert.deepEqual(
              incoming,
              canonical.map((p) => [...p, i]),
              `n=${n} t=${t} round ${round}: ${j} stores from ${i}`,
            );
          }
        }
      }
    }
  });

  test("a node's children are the path extended by every other lieutenant not on it, in id order", () => {
    const table = pathTable(6, 2, 2);
    table.paths.forEach((p, index) => {
      const children = [...table.children(index)].map((c) => table.path(c));
      if (p.length === 3) {
        assert.deepEqual(children, [], `leaf ${pathKey(p)}`);
        return;
      }
      const expected = range(1, 6)
        .filter((j) => j !== 2 && !p.includes(j))
        .map((j) => [...p, j]);
      assert.deepEqual(children, expected, `children of ${pathKey(p)}`);
    });
  });
});
