import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, parseGeneralEnv, parseRunConfig } from '../../src/config/config.js';
import { describeFaults, faultEnv, parseFaultFlags } from '../../src/config/faults.js';

const PEERS = 'a:1,b:2,c:3,d:4';
/** Keys are beside the point here; without them a general needs AUTH=off said explicitly. */
const AUTH = 'off';

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  assert.fail('expected a ConfigError');
}

describe('fault flags and env', () => {
  test('--crash, --delay and --drop combine per general', () => {
    const { faults, problems } = parseFaultFlags({ crash: '3@1', delay: '2:1500,3:10', drop: '1>2,1>3' }, 5);
    assert.deepEqual(problems, []);
    assert.deepEqual(faults.get(3), { crashRound: 1, delayMs: 10 });
    assert.deepEqual(faults.get(2), { delayMs: 1500 });
    assert.deepEqual(faults.get(1), { dropTo: [2, 3] });
    assert.equal(
      describeFaults({ crashRound: 1, delayMs: 10, dropTo: [2, 3] }),
      'crash@1+delay 10ms+drop>2,3',
    );
  });

  test('every bad fault flag is reported at once', () => {
    const { problems } = parseFaultFlags({ crash: '3', delay: '9:10', drop: '1>1,2-3' }, 5);
    assert.equal(problems.length, 4);
    assert.ok(problems[0]?.startsWith('--crash'));
    assert.ok(problems[1]?.startsWith('--delay'));
    assert.ok(problems.filter((p) => p.startsWith('--drop')).length === 2);
  });

  test('local refuses bad faults along with every other problem (exit 2)', () => {
    const problems = problemsOf(() => parseRunConfig({ generals: '4', t: '1', crash: '7@1', order: 'UP' }));
    assert.equal(problems.length, 2);
    assert.ok(problems.some((p) => p.startsWith('--order')));
    assert.ok(problems.some((p) => p.startsWith('--crash') && p.includes('0..3')));
    assert.equal(parseRunConfig({ generals: '4', t: '1' }).faults, undefined);
    assert.deepEqual(parseRunConfig({ generals: '4', t: '1', drop: '1>2' }).faults?.get(1), { dropTo: [2] });
  });

  test("a general's FAULT_* env round-trips through what the launcher sets", () => {
    const env = { ID: '1', PEERS, AUTH, ...faultEnv({ crashRound: 2, delayMs: 250, dropTo: [0, 3] }) };
    assert.deepEqual(parseGeneralEnv(env).faults, { crashRound: 2, delayMs: 250, dropTo: [0, 3] });
    // Empty values mean no fault: the launcher sets every key so that nothing leaks in from outside.
    assert.equal(parseGeneralEnv({ ID: '1', PEERS, AUTH, ...faultEnv(undefined) }).faults, undefined);
  });

  test('bad FAULT_* env is refused, every variable named', () => {
    const problems = problemsOf(() =>
      parseGeneralEnv({
        ID: '1',
        PEERS,
        AUTH,
        FAULT_CRASH_ROUND: 'soon',
        FAULT_DELAY_MS: '-5',
        FAULT_DROP_TO: '1,9,x',
      }),
    );
    assert.equal(problems.length, 3);
    assert.ok(problems[0]?.startsWith('FAULT_CRASH_ROUND'));
    assert.ok(problems[1]?.startsWith('FAULT_DELAY_MS'));
    assert.ok(
      problems[2]?.startsWith('FAULT_DROP_TO') && problems[2].includes('"x"') && problems[2].includes('"9"'),
    );
  });
});
