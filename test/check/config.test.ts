import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCheckConfig } from '../../src/config/check.js';
import { ConfigError } from '../../src/config/config.js';

function problems(flags: Record<string, string | boolean>): readonly string[] {
  try {
    parseCheckConfig(flags);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  assert.fail('expected a ConfigError');
}

describe('check flags', () => {
  test('ranges expand to every (n, t) pair; unsafe pairs in a range are skipped and listed', () => {
    const config = parseCheckConfig({ generals: '4..8', t: '1..2' });
    assert.deepEqual(
      config.shapes.map((s) => [s.n, s.t, s.maxTraitors]),
      [
        [4, 1, 1],
        [5, 1, 1],
        [6, 1, 1],
        [7, 1, 1],
        [7, 2, 2],
        [8, 1, 1],
        [8, 2, 2],
      ],
    );
    assert.equal(config.skipped.length, 3);
    assert.ok(config.skipped.every((s) => s.includes('--allow-unsafe')));
  });

  test('without --t, t is the largest n tolerates; --max-traitors is capped at n', () => {
    const config = parseCheckConfig({ generals: '4..7', maxTraitors: '9' });
    assert.deepEqual(
      config.shapes.map((s) => [s.n, s.t, s.maxTraitors]),
      [
        [4, 1, 4],
        [5, 1, 5],
        [6, 1, 6],
        [7, 2, 7],
      ],
    );
  });

  test('a single unsafe pair is refused with the bound explained, unless --allow-unsafe', () => {
    const [problem] = problems({ generals: '6', t: '2' });
    assert.match(problem ?? '', /n > 3t/);
    assert.match(problem ?? '', /--allow-unsafe/);
    const config = parseCheckConfig({ generals: '6', t: '2', allowUnsafe: true });
    assert.deepEqual(config.shapes, [{ n: 6, t: 2, maxTraitors: 2 }]);
  });

  test('every bad flag is reported at once', () => {
    const found = problems({ generals: '9..4', t: 'x', maxTraitors: '-1', workers: '0' });
    assert.equal(found.length, 4);
    assert.ok(found.some((p) => p.startsWith('--generals')));
    assert.ok(found.some((p) => p.startsWith('--t')));
    assert.ok(found.some((p) => p.startsWith('--max-traitors')));
    assert.ok(found.some((p) => p.startsWith('--workers')));
    assert.deepEqual(problems({}), ['--generals: is required (N or A..B)']);
  });
});
