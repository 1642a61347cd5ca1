/**
 * External commands for the layers that drive Docker (test/docker, test/swarm): run one with a
 * bound, say what it printed when it fails, wait for a condition by polling with a bound, and build
 * the project's image as a user would (the real Dockerfile, with the base image and npm CA that
 * this machine needs).
 */
import assert from 'node:assert/strict';
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const MINUTE = 60_000;

export class CommandError extends Error {
  override readonly name = 'CommandError';
}

export interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv | undefined;
  readonly cwd?: string | undefined;
  readonly timeoutMs?: number | undefined;
  readonly input?: string | Buffer | undefined;
}

export const tail = (text: string, lines = 40): string => text.trimEnd().split('\n').slice(-lines).join('\n');

export function describeRun(command: readonly string[], ran: Ran): string {
  return `$ ${command.join(' ')}\nexit ${ran.status}\n--- stdout\n${tail(ran.stdout)}\n--- stderr\n${tail(ran.stderr)}`;
}

function spawn(command: readonly string[], options: RunOptions, encoding: 'utf8' | 'buffer') {
  const [file, ...args] = command;
  if (file === undefined) throw new CommandError('empty command');
  const result = spawnSync(file, args, {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? process.env,
    encoding: encoding === 'utf8' ? 'utf8' : 'buffer',
    timeout: options.timeoutMs ?? 2 * MINUTE,
    maxBuffer: 256 * 1024 * 1024,
    ...(options.input === undefined ? {} : { input: options.input }),
  }) as SpawnSyncReturns<string | Buffer>;
  if (result.error !== undefined && (result.error as NodeJS.ErrnoException).code !== 'ENOENT') {
    throw new CommandError(`${command.join(' ')}: ${result.error.message}`);
  }
  return result;
}

/** Runs a command to its end (or its bound); never throws for a non-zero status. */
export function run(command: readonly string[], options: RunOptions = {}): Ran {
  const result = spawn(command, options, 'utf8');
  return {
    status: result.status,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
  };
}

/** Runs a command and throws, with what it printed, unless it exits 0. */
export function mustRun(command: readonly string[], options: RunOptions = {}): Ran {
  const ran = run(command, options);
  if (ran.status !== 0) throw new CommandError(describeRun(command, ran));
  return ran;
}

/** Runs a command that prints bytes (a tar stream); throws unless it exits 0. */
export function mustRunBytes(command: readonly string[], options: RunOptions = {}): Buffer {
  const result = spawn(command, options, 'buffer');
  if (result.status !== 0) {
    const ran = { status: result.status, stdout: '', stderr: String(result.stderr ?? '') };
    throw new CommandError(describeRun(command, ran));
  }
  return result.stdout as Buffer;
}

/**
 * Polls `probe` until it returns a value other than undefined, or throws after `timeoutMs` with
 * what it last saw. Never a fixed sleep: it returns as soon as the condition holds.
 */
export async function pollUntil<T>(
  what: string,
  probe: () => T | undefined,
  options: { readonly timeoutMs: number; readonly everyMs?: number; readonly seen?: () => string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) {
      throw new CommandError(
        `${what}: not after ${options.timeoutMs} ms${options.seen ? `\n${options.seen()}` : ''}`,
      );
    }
    await delay(options.everyMs ?? 500);
  }
}

/** Throws, saying how to get one, unless a Docker engine answers. */
export function requireDocker(): void {
  const info = run(['docker', 'info', '--format', '{{.ServerVersion}}']);
  if (info.status !== 0) {
    throw new CommandError(
      `no Docker engine is reachable (docker info: ${tail(info.stderr || 'docker not found', 5)}); ` +
        'start one, e.g. eval "$(../shared/docker-offline/setup.sh)" from the repository',
    );
  }
}

/**
 * Builds the image from the repository's Dockerfile under `tag`, honouring NODE_IMAGE (the base image)
 * and NPM_CA_FILE (a CA for npm, given as the build secret npm_ca), as docs/docker.md tells users to.
 */
export function buildImage(tag: string, timeoutMs = 10 * MINUTE): void {
  const build = ['docker', 'build', '-t', tag];
  const nodeImage = process.env.NODE_IMAGE?.trim();
  if (nodeImage) build.push('--build-arg', `NODE_IMAGE=${nodeImage}`);
  const caFile = process.env.NPM_CA_FILE?.trim();
  if (caFile) {
    assert.ok(existsSync(caFile), `NPM_CA_FILE=${caFile} does not exist`);
    build.push('--secret', `id=npm_ca,src=${caFile}`);
  }
  build.push(ROOT);
  mustRun(build, { env: { ...process.env, DOCKER_BUILDKIT: process.env.DOCKER_BUILDKIT ?? '1' }, timeoutMs });
}
