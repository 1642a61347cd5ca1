/**
 * Shared helpers for the process-level tests: run the CLI as a real child process, find every
 * process a test started (by a marker in its environment, inherited by grandchildren), hold ports,
 * talk raw gRPC to a general. Nothing here sleeps: everything waits on an event or a process exit.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import type { Order } from '../../src/core/order.js';
import type { Batch } from '../../src/net/generated/byzantine/v1/Batch.js';
import { checkHealth, healthClient } from '../../src/net/health.js';
import { packValues } from '../../src/net/packed-values.js';
import { MAX_MESSAGE_BYTES } from '../../src/net/peers.js';
import { byzantineProto } from '../../src/net/proto.js';
import {
  channelCredentials,
  PLAINTEXT,
  peerChannelOptions,
  type TransportSecurity,
} from '../../src/net/transport-security.js';
import { compiledCli } from './build.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/**
 * The compiled CLI (dist/src/cli.js, rebuilt first when src/ is newer): what `npm start`, `local`
 * and the container run, and ten generals start several times faster than under tsx.
 */
export const CLI = compiledCli();

/** The name of the env variable that marks every process a test started, and its descendants. */
export const MARKER_VARIABLE = 'BYZANTINE_TEST_MARKER';

/** Env a general or the client would read: never inherited from whoever runs the tests. */
const CONFIG_VARIABLES = [
  'ID',
  'TRAITOR',
  'TRAITORS',
  'PEERS',
  'PORT',
  'HOST',
  'LOG_DIR',
  'ROUND_TIMEOUT_MS',
  'LOG_VALUES',
  'LOG_FORMAT',
  'LOG_LEVEL',
  'METRICS_PORT',
  'PEER_CALLS',
  'AUTH',
  'PRIVATE_KEY_FILE',
  'CERTS_DIR',
  'PUBLIC_KEYS_DIR',
  'CLIENT_KEY_FILE',
  'NODE_TEST_CONTEXT',
];

export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CONFIG_VARIABLES) delete env[name];
  return { ...env, ...extra };
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly pid: number;
  readonly elapsedMs: number;
  /** The marker in the child's env: find its descendants with processesMarked(marker). */
  readonly marker: string;
}

export interface CliOptions {
  readonly env?: Record<string, string>;
  readonly cwd?: string;
  /** Stop the child (and fail) if it has not exited by then. */
  readonly timeoutMs?: number;
}

const running = new Set<ChildProcess>();

/** Stops a child that is still running: SIGTERM, then SIGKILL if it has not exited within graceMs. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((done) => {
    timer = setTimeout(() => done('late'), graceMs);
  });
  if ((await Promise.race([exited, late])) === 'late') {
    child.kill('SIGKILL');
    await exited;
  }
  clearTimeout(timer);
}

/** Every process started by these helpers and still running, then every marked descendant. */
export async function stopEverything(markers: readonly string[] = []): Promise<void> {
  await Promise.all([...running].map((child) => stopChild(child)));
  for (const marker of markers) {
    for (const pid of processesMarked(marker)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}

export interface CliHandle {
  readonly child: ChildProcess;
  readonly marker: string;
  /** Resolves once the process has exited and its output has been read to the end. */
  readonly done: Promise<CliResult>;
}

/** Starts `byzantine <args>` (the compiled CLI). */
export function startCli(args: readonly string[], options: CliOptions = {}): CliHandle {
  const marker = randomUUID();
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    env: cleanEnv({ ...options.env, [MARKER_VARIABLE]: marker }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timeoutMs = options.timeoutMs ?? 120_000;
  const done = new Promise<CliResult>((resolveResult, reject) => {
    const timer = setTimeout(() => {
      stopChild(child).finally(() =>
        reject(
          new Error(
            `byzantine ${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`,
          ),
        ),
      );
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolveResult({
        code,
        signal,
        stdout,
        stderr,
        pid: child.pid ?? -1,
        elapsedMs: performance.now() - started,
        marker,
      });
    });
  });
  return { child, marker, done };
}

/** Runs `byzantine <args>` (the compiled CLI) to completion. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** Pids of live processes whose environment carries `marker` (Linux /proc). */
export function processesMarked(marker: string): number[] {
  const needle = `${MARKER_VARIABLE}=${marker}`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
    } catch {
      continue; // gone meanwhile, or not ours
    }
    if (environ.split('\0').includes(needle)) found.push(Number(entry));
  }
  return found;
}

/** Is process `pid` still alive (a zombie counts as gone)? */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The state letter follows the parenthesised command name.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** A fresh temporary directory and a function that removes it. */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `byzantine-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Listens on 127.0.0.1:`port` (0: a free one); resolves to the server and the bound port. */
export function listenOn(port = 0): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  return new Promise((ok, fail) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      ok({
        server,
        port: bound,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

export const lines = (text: string) => text.split('\n').filter((line) => line !== '');

// ---------------------------------------------------------------------------------------------
// Raw gRPC, as a rogue client would speak it

type SendOrderClient = grpc.Client & {
  SendOrder(
    request: Batch,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: (error: grpc.ServiceError | null, response?: { accepted: number }) => void,
  ): grpc.ClientUnaryCall;
};

/**
 * A client of general `server` at `address` with grpc's own defaults (no send limit), not the
 * generals' PeerClients; plaintext, or TLS with whatever credentials the test gives it.
 */
export function rogueClient(
  address: string,
  security: TransportSecurity = PLAINTEXT,
  server = 0,
): SendOrderClient {
  return rogueClientWith(address, channelCredentials(security), peerChannelOptions(security, server));
}

/** A rogue client with credentials made by hand (TLS with no certificate of its own, say). */
export function rogueClientWith(
  address: string,
  credentials: grpc.ChannelCredentials,
  options: grpc.ChannelOptions = {},
): SendOrderClient {
  const General = byzantineProto().byzantine.v1.General;
  return new General(address, credentials, {
    'grpc.max_send_message_length': -1,
    ...options,
  }) as unknown as SendOrderClient;
}

/** A batch as it travels, from the values as orders. */
export function wireBatch(batch: {
  runId: string;
  round: number;
  sender: number;
  receiver: number;
  values: readonly Order[];
}): Batch {
  return { ...batch, count: batch.values.length, values: packValues(batch.values) };
}

export type CallOutcome =
  | { readonly ok: true; readonly accepted: number }
  | { readonly ok: false; readonly code: grpc.status; readonly details: string };

const DEADLINE_MS = 15_000;

/**
 * A SendOrder call. It waits for the connection unless `waitForReady` is false: a client the general
 * refuses at the TLS handshake would otherwise wait out the whole deadline instead of failing.
 */
export function sendOrder(
  client: SendOrderClient,
  request: Batch,
  waitForReady = true,
): Promise<CallOutcome> {
  return new Promise((done) => {
    client.SendOrder(
      request,
      new grpc.Metadata({ waitForReady }),
      { deadline: Date.now() + DEADLINE_MS },
      (error, response) => {
        if (error) done({ ok: false, code: error.code, details: error.details });
        else done({ ok: true, accepted: response?.accepted ?? -1 });
      },
    );
  });
}

/** Protobuf varint. */
function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/**
 * A Batch claiming `count` ATTACK values from general 2 to general 1 in round 1, encoded by hand
 * with `bytes` bytes of packed values, so that a message far beyond the transport limit costs one
 * buffer rather than millions of objects.
 */
export function hugeSendOrder(runId: string, count: number, bytes = (count + 7) >> 3): Buffer {
  const id = Buffer.from(runId, 'utf8');
  return Buffer.concat([
    Buffer.from([0x0a]), // field 1 (run_id), length-delimited
    varint(id.length),
    id,
    Buffer.from([0x10, 0x01]), // field 2 (round) = 1
    Buffer.from([0x18, 0x02]), // field 3 (sender) = 2
    Buffer.from([0x20, 0x01]), // field 4 (receiver) = 1
    Buffer.from([0x28]), // field 5 (count), varint
    varint(count),
    Buffer.from([0x32]), // field 6 (values), length-delimited
    varint(bytes),
    Buffer.alloc(bytes, 0xff),
  ]);
}

/** Sends pre-encoded bytes as a SendOrder call to general `server`. */
export function sendRawSendOrder(
  address: string,
  body: Buffer,
  security: TransportSecurity = PLAINTEXT,
  server = 0,
): Promise<CallOutcome> {
  const client = new grpc.Client(address, channelCredentials(security), {
    'grpc.max_send_message_length': -1,
    ...peerChannelOptions(security, server),
  });
  return new Promise<CallOutcome>((done) => {
    client.makeUnaryRequest<Buffer, Buffer>(
      '/byzantine.v1.General/SendOrder',
      (b) => b,
      (b) => b,
      body,
      new grpc.Metadata({ waitForReady: true }),
      { deadline: Date.now() + DEADLINE_MS },
      (error) => {
        if (error) done({ ok: false, code: error.code, details: error.details });
        else done({ ok: true, accepted: -1 });
      },
    );
  }).finally(() => client.close());
}

export { MAX_MESSAGE_BYTES };

// ---------------------------------------------------------------------------------------------
// One general process, started directly (not by `local`)

export interface GeneralProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly marker: string;
  output(): string;
  /** Resolves with how the process ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `byzantine general` with `env` and resolves once it says which port it listens on. */
export function startGeneral(env: Record<string, string>, readyWithinMs = 60_000): Promise<GeneralProcess> {
  const marker = randomUUID();
  const child = spawn(process.execPath, [CLI, 'general'], {
    cwd: ROOT,
    env: cleanEnv({ ...env, [MARKER_VARIABLE]: marker }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('close', (code, signal) => {
      running.delete(child);
      done({ code, signal });
    });
  });
  return new Promise((ready, fail) => {
    const timer = setTimeout(() => {
      fail(new Error(`general did not listen within ${readyWithinMs} ms:\n${output}`));
    }, readyWithinMs);
    const onData = (chunk: string) => {
      output += chunk;
      // Text (`general 3: listening on HOST:PORT`) or json (`"msg":"listening on HOST:PORT ...`).
      const match = /\blistening on [^\s:"]+:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        ready({ child, port: Number(match[1]), marker, output: () => output, exited });
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      fail(new Error(`general exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
}

/**
 * Resolves true once every address reports SERVING, false once `giveUp` settles first (then no
 * health call is left running). Each attempt waits for the connection, up to 2 s, instead of
 * sleeping. `security` is asked before each attempt: credentials a launcher makes may appear later.
 */
export async function waitServing(
  addresses: readonly string[],
  giveUp: Promise<unknown>,
  security: () => TransportSecurity = () => PLAINTEXT,
): Promise<boolean> {
  let stopped = false;
  const stop = giveUp.then(
    () => {
      stopped = true;
      return false;
    },
    () => {
      stopped = true;
      return false;
    },
  );
  const serving = Promise.all(
    addresses.map(async (address, id) => {
      while (!stopped) {
        const current = security();
        const client = healthClient(address, channelCredentials(current), peerChannelOptions(current, id));
        try {
          if ((await checkHealth(client, 2000)) === 'SERVING') return;
        } finally {
          client.close();
        }
      }
    }),
  ).then(() => !stopped);
  return Promise.race([serving, stop]);
}

/** The --json result on stdout, or an error that shows how the process ended and what it said. */
export function jsonOf<T>(run: CliResult): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch (error) {
    throw new Error(
      `expected one JSON object on stdout; exit status ${run.code ?? run.signal} after ${(run.elapsedMs / 1000).toFixed(1)} s\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`,
      { cause: error },
    );
  }
}
