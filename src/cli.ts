#!/usr/bin/env node
import { wantsHelp } from './commands/flags.js';
import { ConfigError } from './config/config.js';
import { GeneralsUnreachableError, ListenError } from './net/errors.js';

interface Command {
  readonly summary: string;
  /** Loaded only when chosen: a general starting in a container should not compile the report. */
  readonly load: () => Promise<{ run: (argv: readonly string[]) => number | Promise<number>; help: string }>;
}

const COMMANDS: Record<string, Command> = {
  general: {
    summary: 'run one general (a gRPC server) from env',
    load: async () => {
      const m = await import('./commands/general.js');
      return { run: () => m.generalCommand(), help: m.generalHelp };
    },
  },
  client: {
    summary: 'run OM(t) or SM(t) once on running generals',
    load: async () => {
      const m = await import('./commands/client.js');
      return { run: m.clientCommand, help: m.clientHelp };
    },
  },
  local: {
    summary: 'start N generals on loopback, run once, stop them',
    load: async () => {
      const m = await import('./commands/local.js');
      return { run: m.localCommand, help: m.localHelp };
    },
  },
  simulate: {
    summary: 'the same run in one process, in memory',
    load: async () => {
      const m = await import('./commands/simulate.js');
      return { run: m.simulateCommand, help: m.simulateHelp };
    },
  },
  check: {
    summary: 'exhaustively check OM(t) or SM(t) in process for n, t ranges',
    load: async () => {
      const m = await import('./commands/check.js');
      return { run: m.checkCommand, help: m.checkHelp };
    },
  },
  report: {
    summary: 'write an HTML report of a run from its logs',
    load: async () => {
      const m = await import('./commands/report.js');
      return { run: m.reportCommand, help: m.reportHelp };
    },
  },
};

const USAGE = `usage: byzantine <command> [flags]

Byzantine Generals (Lamport, Shostak and Pease, 1982): OM(t) and SM(t) among real processes over gRPC.

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
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(
      `byzantine: unknown command "${name}": expected one of ${Object.keys(COMMANDS).join(', ')}\n`,
    );
    return 2;
  }
  const { run, help } = await command.load();
  if (wantsHelp(rest)) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  try {
    return await run(rest);
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

/** Resolves once everything written to `stream` so far has been handed to the system. */
const drained = (stream: NodeJS.WriteStream) => new Promise<void>((done) => stream.write('', () => done()));

/**
 * Exits as soon as the command is done. A command's work is over when it returns (a general's once
 * it has shut down and closed its logs), but gRPC may still hold a socket to a peer that never
 * answered (a paused container holds a TLS handshake open for minutes): that must not keep a
 * one-shot client, or a stopped general, alive.
 */
async function exit(code: number): Promise<never> {
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}

main(process.argv.slice(2)).then(
  (code) => exit(code),
  (error: unknown) => {
    process.stderr.write(
      `byzantine: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return exit(1);
  },
);
