#!/usr/bin/env node
import { checkCommand, checkHelp } from './commands/check.js';
import { clientCommand, clientHelp } from './commands/client.js';
import { wantsHelp } from './commands/flags.js';
import { generalCommand, generalHelp } from './commands/general.js';
import { localCommand, localHelp } from './commands/local.js';
import { reportCommand, reportHelp } from './commands/report.js';
import { simulateCommand, simulateHelp } from './commands/simulate.js';
import { ConfigError } from './config/config.js';
import { GeneralsUnreachableError } from './net/cluster-client.js';
import { ListenError } from './net/general-server.js';

const COMMANDS = {
  general: {
    run: () => generalCommand(),
    help: generalHelp,
    summary: 'run one general (a gRPC server) from env',
  },
  client: { run: clientCommand, help: clientHelp, summary: 'run OM(t) once on running generals' },
  local: { run: localCommand, help: localHelp, summary: 'start N generals on loopback, run once, stop them' },
  simulate: { run: simulateCommand, help: simulateHelp, summary: 'the same run in one process, in memory' },
  check: {
    run: checkCommand,
    help: checkHelp,
    summary: 'exhaustively check OM(t) in process for n, t ranges',
  },
  report: { run: reportCommand, help: reportHelp, summary: 'write an HTML report of a run from its logs' },
} as const;

const USAGE = `usage: byzantine <command> [flags]

Byzantine Generals (Lamport, Shostak and Pease, 1982): OM(t) among real processes over gRPC.

commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)}${c.summary}`)
  .join('\n')}

Run \`byzantine <command> --help\` for a command's flags.`;

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = (COMMANDS as Record<string, (typeof COMMANDS)[keyof typeof COMMANDS]>)[name];
  if (command === undefined) {
    process.stderr.write(
      `byzantine: unknown command "${name}": expected one of ${Object.keys(COMMANDS).join(', ')}\n`,
    );
    return 2;
  }
  if (wantsHelp(rest)) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`byzantine ${name}: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ListenError) {
      process.stderr.write(`byzantine ${name}: ${error.message}\n`);
      return 1;
    }
    if (error instanceof GeneralsUnreachableError) {
      process.stderr.write(`byzantine ${name}: ${error.message}\n`);
      return 3;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `byzantine: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
