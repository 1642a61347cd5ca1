import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureClusterCredentials } from '../auth/cluster-ca.js';
import { loadCredentials } from '../auth/credentials.js';
import { CLIENT_IDENTITY } from '../auth/identity.js';
import { clientCredentialPaths, generalCredentialEnv } from '../auth/layout.js';
import type { HostPort, Roster } from '../config/config.js';
import { faultEnv, type GeneralFaults } from '../config/faults.js';
import { formatStrategy } from '../core/strategy.js';
import { PeerClients } from '../net/peers.js';
import { PLAINTEXT, type TransportSecurity } from '../net/transport-security.js';

export interface ClusterSpec {
  readonly n: number;
  readonly roster: Roster;
  readonly roundTimeoutMs: number;
  readonly logDir: string;
  /** First port; without it, free ports are picked. */
  readonly basePort?: number | undefined;
  /** Injected faults by general id, passed as FAULT_* env vars. */
  readonly faults?: ReadonlyMap<number, GeneralFaults> | undefined;
  /** Extra environment for every general (e.g. LOG_VALUES). */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Extra options for every general's node (e.g. the bench's --cpu-prof). */
  readonly nodeArgs?: readonly string[] | undefined;
  /**
   * Mutual TLS (the default): an ephemeral cluster CA, keys and certificates in a fresh temporary
   * directory, removed when the cluster stops. false: the generals run with AUTH=off, in plaintext.
   */
  readonly auth?: boolean | undefined;
  /** Run the compiled generals in dist/ (after `npm run build`) even from source: what the bench measures. */
  readonly compiled?: boolean;
}

const HOST = '127.0.0.1';
const STOP_GRACE_MS = 3000;
const TAIL_LINES = 20;

/** The newest modification time of any source file under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const file of readdirSync(dir, { recursive: true })) {
    if (String(file).endsWith('.ts')) newest = Math.max(newest, statSync(join(dir, String(file))).mtimeMs);
  }
  return newest;
}

/**
 * The CLI the generals run: the compiled one beside this module (dist/src/cli.js); from source
 * (under tsx), the compiled build when it is newer than every source file, so that tests and a
 * developer's `local` start generals in a fraction of the time; otherwise src/cli.ts under tsx.
 */
function cliEntry(compiled: boolean): { file: string; nodeArgs: string[] } {
  const here = dirname(fileURLToPath(import.meta.url));
  const js = join(here, '..', 'cli.js');
  if (existsSync(js)) return { file: js, nodeArgs: [] };
  const built = join(here, '..', '..', 'dist', 'src', 'cli.js');
  if (compiled && !existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`);
  if (compiled || (existsSync(built) && statSync(built).mtimeMs >= newestSource(join(here, '..')))) {
    return { file: built, nodeArgs: [] };
  }
  return { file: join(here, '..', 'cli.ts'), nodeArgs: ['--import', import.meta.resolve('tsx')] };
}

/** Free loopback ports, found by binding port 0 and letting go. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((ok, fail) => {
          const server = createServer();
          server.once('error', fail);
          server.listen(0, HOST, () => ok(server));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const address = s.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  });
  await Promise.all(servers.map((s) => new Promise((ok) => s.close(ok))));
  return ports;
}

/** A general process: its child, and the tail of what it printed, for when something goes wrong. */
interface Member {
  readonly id: number;
  readonly child: ChildProcess;
  readonly tail: string[];
  exit: string | undefined;
  readonly exited: Promise<void>;
}

/** The env that gives general `id` its credentials, or turns authentication off. */
function authEnv(keyDir: string | undefined, id: number): Record<string, string> {
  if (keyDir === undefined) return { AUTH: 'off', PRIVATE_KEY_FILE: '', CERTS_DIR: '' };
  return { AUTH: 'on', ...generalCredentialEnv(keyDir, id) };
}

/** Certificates for `local` last a day: long enough for any run, short enough not to matter if copied. */
const LOCAL_CERT_DAYS = 1;

/** N general processes on loopback, started together and always stopped together. */
export class LocalCluster {
  private removed = false;

  private constructor(
    readonly peers: readonly HostPort[],
    private readonly members: readonly Member[],
    /** The ephemeral credentials (laid out as generate-compose.ts writes them); none with auth off. */
    readonly keyDir: string | undefined,
    /** How the client reaches these generals: TLS with the ephemeral client certificate, or plaintext. */
    readonly security: TransportSecurity,
  ) {}

  /** Clients for every general, with the client's credentials. */
  clients(): PeerClients {
    return new PeerClients(this.peers, this.security);
  }

  static async start(spec: ClusterSpec): Promise<LocalCluster> {
    const ports =
      spec.basePort === undefined
        ? await freePorts(spec.n)
        : Array.from({ length: spec.n }, (_, i) => (spec.basePort ?? 0) + i);
    const keyDir = spec.auth === false ? undefined : mkdtempSync(join(tmpdir(), 'byzantine-keys-'));
    try {
      let security: TransportSecurity = PLAINTEXT;
      if (keyDir !== undefined) {
        await ensureClusterCredentials(keyDir, spec.n, { validDays: LOCAL_CERT_DAYS, namesOf: () => [HOST] });
        const credentials = loadCredentials(clientCredentialPaths(keyDir), CLIENT_IDENTITY, spec.n);
        security = { mode: 'tls', credentials };
      }
      return new LocalCluster(
        ports.map((port) => ({ host: HOST, port })),
        LocalCluster.spawn(spec, ports, keyDir),
        keyDir,
        security,
      );
    } catch (error) {
      if (keyDir !== undefined) rmSync(keyDir, { recursive: true, force: true });
      throw error;
    }
  }

  private static spawn(spec: ClusterSpec, ports: readonly number[], keyDir: string | undefined): Member[] {
    const peers = ports.map((port) => ({ host: HOST, port }));
    const peersText = peers.map((p) => `${p.host}:${p.port}`).join(',');
    const entry = cliEntry(spec.compiled === true);
    const logDir = resolve(spec.logDir);
    return peers.map((peer, id): Member => {
      const strategy = spec.roster.get(id);
      const child = spawn(
        process.execPath,
        [...(spec.nodeArgs ?? []), ...entry.nodeArgs, entry.file, 'general'],
        {
          env: {
            ...process.env,
            // What the launcher reads of their stdout is a tail for people, and one metrics port
            // cannot serve N generals: a LOG_LEVEL, LOG_FORMAT or METRICS_PORT exported for other
            // tools must not reach them (spec.env may still set them, as the bench does).
            LOG_FORMAT: 'text',
            LOG_LEVEL: 'info',
            METRICS_PORT: '',
            ...spec.env,
            ID: String(id),
            TRAITOR: strategy === undefined ? '' : formatStrategy(strategy),
            PEERS: peersText,
            PORT: String(peer.port),
            HOST,
            LOG_DIR: logDir,
            ROUND_TIMEOUT_MS: String(spec.roundTimeoutMs),
            ...authEnv(keyDir, id),
            ...faultEnv(spec.faults?.get(id)),
          },
          stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        },
      );
      const tail: string[] = [];
      const keep = (chunk: Buffer) => {
        tail.push(...chunk.toString().split('\n').filter(Boolean));
        tail.splice(0, Math.max(0, tail.length - TAIL_LINES));
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      const member: Member = {
        id,
        child,
        tail,
        exit: undefined,
        exited: new Promise((done) => {
          child.once('exit', (code, signal) => {
            member.exit = signal === null ? `exit status ${code}` : `signal ${signal}`;
            done();
          });
          child.once('error', (error) => {
            member.exit = `could not start: ${error.message}`;
            done();
          });
        }),
      };
      return member;
    });
  }

  /** Why each general that has stopped did so, with the last lines it printed. */
  casualties(): Map<number, string> {
    const out = new Map<number, string>();
    for (const m of this.members) {
      if (m.exit !== undefined)
        out.set(m.id, `${m.exit}${m.tail.length ? `:\n    ${m.tail.join('\n    ')}` : ''}`);
    }
    return out;
  }

  pid(id: number): number | undefined {
    return this.members[id]?.child.pid;
  }

  /** Sends `signal` to one general (for fault tests). */
  signal(id: number, signal: NodeJS.Signals): void {
    this.members[id]?.child.kill(signal);
  }

  /** Resolves with the id of the first general whose process ends, whenever that is. */
  firstExit(): Promise<number> {
    return Promise.race(this.members.map((m) => m.exited.then(() => m.id)));
  }

  exited(id: number): Promise<void> {
    return this.members[id]?.exited ?? Promise.resolve();
  }

  /**
   * SIGTERM to every general, then SIGKILL to any still running after the grace period; then the
   * ephemeral keys are removed.
   */
  async stop(): Promise<void> {
    try {
      await this.stopMembers();
    } finally {
      this.removeKeys();
    }
  }

  private removeKeys(): void {
    if (this.keyDir === undefined || this.removed) return;
    this.removed = true;
    rmSync(this.keyDir, { recursive: true, force: true });
  }

  private async stopMembers(): Promise<void> {
    const running = this.members.filter((m) => m.exit === undefined);
    for (const m of running) m.child.kill('SIGTERM');
    const all = Promise.all(running.map((m) => m.exited));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((done) => {
      timer = setTimeout(() => done('late'), STOP_GRACE_MS);
    });
    if ((await Promise.race([all, late])) === 'late') {
      for (const m of running) if (m.exit === undefined) m.child.kill('SIGKILL');
      await all;
    }
    clearTimeout(timer);
  }
}
