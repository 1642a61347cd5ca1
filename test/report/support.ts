import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Algorithm } from '../../src/core/algorithm.js';
import type { Order } from '../../src/core/order.js';
import type { Strategy } from '../../src/core/strategy.js';
import { traceFromSimulation } from '../../src/report/from-simulation.js';
import type { RunTrace } from '../../src/report/trace.js';
import { runInMemory } from '../../src/sim/network.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'src', 'cli.ts');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
const TSX = import.meta.resolve('tsx');

/** The seed example: 10 generals, traitors 3, 4, 7 equivocating, order ATTACK, t=3. */
export const SEED = {
  n: 10,
  t: 3,
  order: 'ATTACK' as Order,
  traitors: [3, 4, 7] as const,
};

export function seedRoster(kind: Strategy['kind'] = 'equivocate'): Map<number, Strategy> {
  return new Map(SEED.traitors.map((id) => [id, { kind } as Strategy] as const));
}

/** The in-memory trace of a run (every delivery and lie kept); SM runs sign with fresh Ed25519 keys. */
export function simulatedTrace(
  n: number,
  t: number,
  order: Order,
  roster: ReadonlyMap<number, Strategy>,
  runId = 'sim-test',
  algorithm: Algorithm = 'om',
): { trace: RunTrace; reports: ReturnType<typeof runInMemory>['reports'] } {
  const spec = { runId, n, t, order, roster, algorithm };
  const outcome = runInMemory(spec, true);
  return { trace: traceFromSimulation(spec, outcome), reports: outcome.reports };
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI as a child process with pipes (so stdout and stderr are not TTYs). */
export function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 60_000,
): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], {
      cwd: ROOT,
      env: { ...cleanEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`byzantine ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.once('error', fail);
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** The environment without anything a general or the client would read from it. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['ID', 'TRAITOR', 'TRAITORS', 'PEERS', 'PORT', 'HOST', 'LOG_DIR', 'ROUND_TIMEOUT_MS']) {
    delete env[name];
  }
  delete env.NODE_TEST_CONTEXT;
  return env;
}

/**
 * The SM example of docs/signed-messages.md: n=4, t=2, a two-faced commander (0 equivocates) and a
 * lieutenant that tampers with every chain it relays (3 flips), order ATTACK.
 */
export const SM_EXAMPLE = {
  n: 4,
  t: 2,
  order: 'ATTACK' as Order,
  roster: new Map<number, Strategy>([
    [0, { kind: 'equivocate' }],
    [3, { kind: 'flip' }],
  ]),
};

/**
 * The King example of docs/king.md: n=4, t=1, order ATTACK, the commander (the king of phase 1)
 * equivocates, telling lieutenant 2 the opposite of everything.
 */
export const KING_EXAMPLE = {
  n: 4,
  t: 1,
  order: 'ATTACK' as Order,
  roster: new Map<number, Strategy>([[0, { kind: 'equivocate' }]]),
};
