import { existsSync, statSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../config/config.js';
import { readEventLogs, traceFromLogs } from '../report/from-logs.js';
import type { RunTrace } from '../report/trace.js';
import { describeReport, writeReport } from '../report/write.js';
import type { FlagSpec } from './flags.js';

/** `--report FILE.html`, shared by client, local and simulate. */
export const REPORT_FLAG: FlagSpec = {
  report: {
    type: 'string',
    help: 'also write a self-contained HTML report of the run to FILE.html',
  },
};

/** A file to write the report to: ends in .html (or .htm) and is not a directory. */
export const reportFileSchema = z
  .string()
  .trim()
  .min(1, 'expected a file name ending in .html')
  .regex(/\.html?$/i, 'expected a file name ending in .html')
  .refine((p) => !(existsSync(p) && statSync(p).isDirectory()), 'is a directory; expected a file name');

type FlagValues = Record<string, string | boolean | undefined>;

/**
 * Takes --report out of `flags`, parses the rest with `parse`, and reports every problem of both at
 * once (one ConfigError, exit status 2).
 */
export function withReportFlag<T>(
  flags: FlagValues,
  parse: (rest: FlagValues) => T,
): { config: T; report: string | undefined } {
  const { report, ...rest } = flags;
  const problems: string[] = [];
  let file: string | undefined;
  if (report !== undefined) {
    const parsed = reportFileSchema.safeParse(report);
    if (parsed.success) file = parsed.data;
    else problems.push(...parsed.error.issues.map((issue) => `--report: ${issue.message}`));
  }
  let config: T;
  try {
    config = parse(rest);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError([...error.problems, ...problems]);
    throw error;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { config, report: file };
}

/** Writes the report and says where it went (on stderr, so stdout stays the result; quiet with --json). */
export function saveReport(file: string, trace: RunTrace, json: boolean): void {
  const written = writeReport(file, trace);
  if (json) return;
  for (const warning of written.model.warnings) process.stderr.write(`report warning: ${warning}\n`);
  process.stderr.write(`${describeReport(written)}\n`);
}

/** --report writes the report of one run: refused with --repeat, before the repeat reads its flags. */
export function refuseReportWithRepeat<T extends FlagValues>(flags: T): T {
  if (flags.report === undefined) return flags;
  throw new ConfigError(['--report: writes the report of one run, so it cannot be combined with --repeat']);
}

/** The report of run `runId` from the generals' event logs in `logDir` (what `local` wrote). */
export function saveLogReport(file: string, logDir: string, runId: string, json: boolean): void {
  const logs = readEventLogs(logDir);
  saveReport(file, traceFromLogs(logs, runId), json);
}
