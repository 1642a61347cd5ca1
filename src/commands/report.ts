import { z } from 'zod';
import { ConfigError, flagProblems } from '../config/config.js';
import { listRuns, ReportInputError, readEventLogs, traceFromLogs } from '../report/from-logs.js';
import { describeReport, writeReport } from '../report/write.js';
import { type FlagSpec, helpText, parseFlags } from './flags.js';
import { reportFileSchema } from './report-flag.js';

const FLAGS: FlagSpec = {
  out: { type: 'string', help: 'the HTML file to write (required unless --list)' },
  run: { type: 'string', help: 'which run to show', default: 'the latest run in the logs' },
  list: { type: 'boolean', help: 'list the runs found in LOG_DIR and exit' },
};

export const reportHelp = helpText(
  'byzantine report LOG_DIR [--run RUN_ID] --out FILE.html',
  "Writes one self-contained HTML file (no network needed to view it) from the generals' JSON-lines\nlogs (general_<id>_events.jsonl) in LOG_DIR: a local, client or compose run alike. It shows the\nroster, a Lamport diagram of every batch with the lies in red, each lieutenant's EIG tree and how\nits majority votes resolved (SM: its signed chains, V and choice(V); King: every general's x phase\nby phase, each phase's king), the decisions with IC1/IC2, and the counts.\nExit status: 0 written, 2 bad input (no logs, unknown run).",
  FLAGS,
  '\nexample:\n  byzantine local --generals 10 --traitors 3,4,7 --t 3 --log-dir logs\n  byzantine report logs --out report.html',
);

const schema = z
  .object({
    logDir: z.string().trim().min(1),
    out: reportFileSchema.optional(),
    run: z.string().trim().min(1).max(128).optional(),
    list: z.boolean().default(false),
  })
  .superRefine((flags, ctx) => {
    if (!flags.list && flags.out === undefined) {
      ctx.addIssue({ code: 'custom', path: ['out'], message: 'is required: the HTML file to write' });
    }
  });

const STRING_FLAGS = new Set(
  Object.entries(FLAGS)
    .filter(([, f]) => f.type === 'string')
    .map(([k]) => k),
);

/** Splits LOG_DIR (the one positional argument) from the flags. */
function splitPositionals(argv: readonly string[]): { flags: string[]; positionals: string[] } {
  const flags: string[] = [];
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    flags.push(arg);
    const name = arg.slice(2);
    if (STRING_FLAGS.has(name) && i + 1 < argv.length) flags.push(argv[++i] ?? '');
  }
  return { flags, positionals };
}

export function reportCommand(argv: readonly string[]): number {
  const { flags, positionals } = splitPositionals(argv);
  const problems: string[] = [];
  const parsedFlags = parseFlags(flags, FLAGS);
  problems.push(...flagProblems(parsedFlags));
  if (positionals.length === 0) problems.push('LOG_DIR: is required: the directory holding the event logs');
  if (positionals.length > 1) {
    problems.push(`"${positionals.slice(1).join(' ')}": unexpected argument (only one LOG_DIR)`);
  }
  const parsed = schema.safeParse({ ...parsedFlags, logDir: positionals[0] ?? '' });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      if (key === 'logDir' && positionals.length === 0) continue;
      problems.push(`${key === 'logDir' ? 'LOG_DIR' : `--${key}`}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const options = parsed.data;
  try {
    const logs = readEventLogs(options.logDir);
    if (options.list) {
      for (const run of listRuns(logs)) {
        process.stdout.write(
          `${run.runId}  started ${run.startedAt}  n=${run.n} t=${run.t}  logs of ${run.generals} generals\n`,
        );
      }
      return 0;
    }
    const trace = traceFromLogs(logs, options.run);
    const written = writeReport(options.out ?? 'report.html', trace);
    if (logs.skipped > 0) process.stderr.write(`skipped ${logs.skipped} unreadable log line(s)\n`);
    for (const warning of written.model.warnings) process.stderr.write(`warning: ${warning}\n`);
    process.stdout.write(`${describeReport(written)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ReportInputError) throw new ConfigError([error.message]);
    throw error;
  }
}
