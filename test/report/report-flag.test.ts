import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withReportFlag } from '../../src/commands/report-flag.js';
import { ConfigError } from '../../src/config/config.js';

describe('--report', () => {
  it('is taken with --algorithm sm: the report draws signed chains', () => {
    const { report, config } = withReportFlag({ report: 'run.html', algorithm: 'SM' }, (rest) => rest);
    assert.equal(report, 'run.html');
    assert.equal(config.algorithm, 'SM');
  });

  it('is taken with --algorithm om', () => {
    const { report, config } = withReportFlag({ report: 'run.html', algorithm: 'om' }, (rest) => rest);
    assert.equal(report, 'run.html');
    assert.equal(config.algorithm, 'om');
  });

  it("reports its own problem together with the other flags' problems", () => {
    assert.throws(
      () =>
        withReportFlag({ report: 'run.txt', algorithm: 'sm' }, () => {
          throw new ConfigError(['--order: expected ATTACK or RETREAT']);
        }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.length === 2 &&
        error.problems.some((p) => p.startsWith('--report:') && p.includes('.html')) &&
        error.problems.includes('--order: expected ATTACK or RETREAT'),
    );
  });
});
