import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withReportFlag } from '../../src/commands/report-flag.js';
import { ConfigError } from '../../src/config.js';

describe('--report', () => {
  it("is refused with --algorithm sm, together with the other flags' problems", () => {
    assert.throws(
      () =>
        withReportFlag({ report: 'run.html', algorithm: 'SM' }, () => {
          throw new ConfigError(['--order: expected ATTACK or RETREAT']);
        }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.length === 2 &&
        error.problems.some((p) => p.startsWith('--report:') && p.includes('--algorithm sm')) &&
        error.problems.includes('--order: expected ATTACK or RETREAT'),
    );
  });

  it('is taken with --algorithm om', () => {
    const { report, config } = withReportFlag({ report: 'run.html', algorithm: 'om' }, (rest) => rest);
    assert.equal(report, 'run.html');
    assert.equal(config.algorithm, 'om');
  });
});
