/**
 * End to end under a real Docker engine: the real Dockerfile, a compose file from the real generator,
 * real containers on a private network.
 *
 *   npm run test:docker        (after `eval "$(../shared/docker-offline/setup.sh)"` on a machine that
 *                               cannot pull images)
 *
 * Builds the image (honouring NODE_IMAGE and NPM_CA_FILE), generates a cluster of 7 generals with
 * traitors 2 and 5, its CA, keys and certificates into a temporary project (the repository's
 * compose.yaml, ./logs and ./keys are never touched), brings it up with mutual TLS, runs the client
 * for ATTACK and RETREAT, reads the logs, checks that each container holds only its own key and that
 * a client without the cluster's certificates is refused, runs SM(5) (signed messages, t = n-2) and
 * checks its exact counts and ignored chains, runs King(2) and checks its exact counts and kings,
 * pauses a loyal lieutenant and runs again, gives a loyal
 * lieutenant a key that does not match its certificate (it refuses to start), then credentials from
 * another CA (it starts, but nobody talks to it) and runs again, and takes everything down
 * afterwards, also when something failed. With no engine reachable it fails: it never skips.
 */
import assert from 'node:assert/strict';
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSX = import.meta.resolve('tsx');

const IMAGE = 'byzantine-generals:e2e';
const GENERALS = 7;
const TRAITORS = [2, 5] as const;
const T = 2;
/** SM(t) on the same cluster: t = n-2, the most SM allows, where OM refuses (n <= 3t). */
const SM_T = GENERALS - 2;
/** A loyal lieutenant: the one paused in the last run. */
const PAUSED = 3;
/**
 * Short enough that the paused run ends soon ((t+1) rounds at most wait this long); long enough that
 * on a busy two-core machine the first run of a cold cluster (peers still connecting) loses nothing.
 */
const ROUND_TIMEOUT_MS = 3000;
/** A loyal lieutenant: the one given a private key that does not match its public key, last. */
const MISKEYED = 3;
/** How long the client waits for the paused general to become healthy before going on without it. */
const PAUSED_WAIT_MS = 3000;
const PROJECT = `byzantine-e2e-${process.pid}`;

const MINUTE = 60_000;
const LIMITS = {
  build: 10 * MINUTE,
  command: 2 * MINUTE,
  healthy: 2 * MINUTE,
  pollMs: 500,
} as const;

/** Exit statuses of `byzantine client` (DESIGN.md). */
const CLIENT_EXIT = { agreement: 0, violated: 1, badInput: 2, unreachable: 3 } as const;

class DockerUnavailableError extends Error {
  override readonly name = 'DockerUnavailableError';
}

class CommandError extends Error {
  override readonly name = 'CommandError';
}

interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const tail = (text: string, lines = 40) => text.trimEnd().split('\n').slice(-lines).join('\n');

function describeRun(command: readonly string[], ran: Ran): string {
  return `$ ${command.join(' ')}\nexit ${ran.status}\n--- stdout\n${tail(ran.stdout)}\n--- stderr\n${tail(ran.stderr)}`;
}

function run(command: readonly string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Ran {
  const [file, ...args] = command;
  if (file === undefined) throw new CommandError('empty command');
  const result: SpawnSyncReturns<string> = spawnSync(file, args, {
    cwd: ROOT,
    env: options.env ?? process.env,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? LIMITS.command,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error !== undefined && (result.error as NodeJS.ErrnoException).code !== 'ENOENT') {
    throw new CommandError(`${command.join(' ')}: ${result.error.message}`);
  }
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

function mustRun(
  command: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Ran {
  const ran = run(command, options);
  if (ran.status !== 0) throw new CommandError(describeRun(command, ran));
  return ran;
}

/** $COMPOSE when set, else `docker compose` (v2), else `docker-compose` (v1). */
function findCompose(): string[] {
  const fromEnv = process.env.COMPOSE?.trim();
  if (fromEnv) return fromEnv.split(/\s+/);
  if (run(['docker', 'compose', 'version']).status === 0) return ['docker', 'compose'];
  if (run(['docker-compose', 'version']).status === 0) return ['docker-compose'];
  throw new DockerUnavailableError(
    'neither `docker compose` nor `docker-compose` works; install one, or run eval "$(../shared/docker-offline/setup.sh)"',
  );
}

/**
 * With one loyal lieutenant silenced (paused, or its batches refused), the other loyal lieutenants
 * 1, 4 and 6 all answer and reach one decision.
 */
function assertOthersAgree(
  generals: ReadonlyArray<{ id: number; decision: string | null }>,
  silenced: number,
  shown: string,
): void {
  const others = generals.filter(
    (g) => g.id !== 0 && g.id !== silenced && !(TRAITORS as readonly number[]).includes(g.id),
  );
  assert.deepEqual(
    others.map((g) => g.id),
    [1, 4, 6],
  );
  const decisions = new Set(others.map((g) => g.decision));
  assert.equal(decisions.size, 1, `the other loyal lieutenants agree\n${shown}`);
  assert.ok(!decisions.has(null), shown);
}

describe(`a cluster of ${GENERALS} containers, traitors ${TRAITORS.join(',')}, OM(${T}) and SM(${GENERALS - 2})`, () => {
  let compose: string[] = [];
  let workDir = '';
  let composeFile = '';
  let logsDir = '';
  /**
   * The ids the containers run as: the host user's, or 1000:1000 (not root) when the host user is
   * root. They must own the 0600 private keys (compose's file secrets keep the host owner and mode):
   * as root, the test hands the keys to 1000:1000, as docs/docker.md tells root to.
   */
  const hostUid = process.getuid?.() ?? 1000;
  const hostGid = process.getgid?.() ?? 1000;
  const uid = hostUid === 0 ? 1000 : hostUid;
  const gid = hostUid === 0 ? 1000 : hostGid;
  const env: NodeJS.ProcessEnv = { ...process.env, UID: `${uid}`, GID: `${gid}` };
  const runIds: string[] = [];
  let paused: string | undefined;
  let broughtUp = false;
  let keysDir = '';

  const composeArgs = (...args: string[]) => [...compose, '-p', PROJECT, '-f', composeFile, ...args];

  const containerOf = (service: string): string => {
    const ids = mustRun([
      'docker',
      'ps',
      '-a',
      '-q',
      '--filter',
      `label=com.docker.compose.project=${PROJECT}`,
      '--filter',
      `label=com.docker.compose.service=${service}`,
    ])
      .stdout.trim()
      .split('\n')
      .filter((id) => id !== '');
    assert.equal(ids.length, 1, `expected one container for ${service}, found ${ids.length}`);
    return ids[0] ?? '';
  };

  const diagnostics = (): string => {
    const ps = run(composeArgs('ps'), { env });
    const logs = run(composeArgs('logs', '--no-color', '--tail', '30'), { env });
    return `${ps.stdout}\n${ps.stderr}\n${tail(logs.stdout, 200)}`;
  };

  /**
   * Ready when Docker has seen every one of these generals healthy (its HEALTHCHECK asks the gRPC
   * health service). Counted one by one: on a busy machine a probe can time out and flip a general
   * back to unhealthy for a while, but one that has served once is up.
   */
  const waitHealthy = async (ids: readonly number[]): Promise<void> => {
    const generals = ids.map((id) => containerOf(`general-${id}`));
    const seenHealthy = new Set<string>();
    const deadline = Date.now() + LIMITS.healthy;
    let states = '';
    while (Date.now() < deadline) {
      states = mustRun([
        'docker',
        'inspect',
        '--format',
        '{{.Id}} {{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}',
        ...generals,
      ]).stdout;
      for (const line of states.trim().split('\n')) {
        const [id = '', name = '', status = '', health = ''] = line.split(' ');
        if (status !== 'running') {
          throw new CommandError(`${name} is ${status}, not running:\n${states}\n${diagnostics()}`);
        }
        if (health === 'healthy') seenHealthy.add(id);
      }
      if (seenHealthy.size === generals.length) return;
      await delay(LIMITS.pollMs);
    }
    throw new CommandError(`generals not healthy after ${LIMITS.healthy} ms:\n${states}\n${diagnostics()}`);
  };

  const client = (...flags: string[]): Ran => {
    const command = composeArgs('run', '--rm', '-T', 'client', ...flags);
    return run(command, { env, timeoutMs: LIMITS.command });
  };

  before(
    async () => {
      const info = run(['docker', 'info', '--format', '{{.ServerVersion}}']);
      if (info.status !== 0) {
        throw new DockerUnavailableError(
          `no Docker engine is reachable (docker info: ${tail(info.stderr || 'docker not found', 5)}); ` +
            'start one, e.g. eval "$(../shared/docker-offline/setup.sh)" from the repository',
        );
      }
      compose = findCompose();

      // The image, as a user would build it, with the base image and npm CA this machine needs.
      const build = ['docker', 'build', '-t', IMAGE];
      const nodeImage = process.env.NODE_IMAGE?.trim();
      if (nodeImage) build.push('--build-arg', `NODE_IMAGE=${nodeImage}`);
      const caFile = process.env.NPM_CA_FILE?.trim();
      if (caFile) {
        assert.ok(existsSync(caFile), `NPM_CA_FILE=${caFile} does not exist`);
        build.push('--secret', `id=npm_ca,src=${caFile}`);
      }
      build.push(ROOT);
      mustRun(build, {
        env: { ...process.env, DOCKER_BUILDKIT: process.env.DOCKER_BUILDKIT ?? '1' },
        timeoutMs: LIMITS.build,
      });

      // The compose file, from the real generator, in a project of its own.
      workDir = mkdtempSync(join(tmpdir(), 'byzantine-e2e-'));
      composeFile = join(workDir, 'compose.yaml');
      mustRun([
        process.execPath,
        '--import',
        TSX,
        join(ROOT, 'generate-compose.ts'),
        `${GENERALS}`,
        TRAITORS.join(','),
        '--round-timeout',
        `${ROUND_TIMEOUT_MS}`,
        '--image',
        IMAGE,
        '--out',
        composeFile,
      ]);
      logsDir = join(workDir, 'logs');
      assert.ok(existsSync(logsDir), 'the generator creates ./logs beside the compose file');
      // As docs/docker.md says: ./logs is made writable for the generals whatever uid they run as.
      // Run by root, they run as 1000:1000 in a directory root owns, which proves they need no root.
      assert.equal(statSync(logsDir).mode & 0o7777, 0o1777, 'the generator opens ./logs to the containers');

      // The keys, from the generator too: 0600, owned by whoever ran it. The containers run as
      // uid:gid, which must own them; as root (uid 0) the test runs them as 1000:1000 and hands the
      // private keys over, as docs/docker.md says to.
      keysDir = join(workDir, 'keys');
      const privateKeys = readdirSync(join(keysDir, 'private'));
      assert.equal(
        privateKeys.length,
        GENERALS + 1,
        `a key per general and the client: ${privateKeys.join(', ')}`,
      );
      for (const name of privateKeys) {
        const path = join(keysDir, 'private', name);
        assert.equal(statSync(path).mode & 0o777, 0o600, `${name} is 0600`);
        if (hostUid === 0) chownSync(path, uid, gid);
        assert.equal(statSync(path).uid, uid, `${name} belongs to the containers' uid ${uid}`);
      }

      mustRun(composeArgs('config', '-q'), { env });
      broughtUp = true;
      mustRun(composeArgs('up', '-d', '--no-build'), { env });

      await waitHealthy(Array.from({ length: GENERALS }, (_, id) => id));
    },
    { timeout: LIMITS.build + LIMITS.healthy + 5 * MINUTE },
  );

  after(
    () => {
      const problems: string[] = [];
      if (paused !== undefined) run(['docker', 'unpause', paused]);
      if (broughtUp) {
        const down = run(composeArgs('down', '--volumes', '--remove-orphans', '--timeout', '5'), { env });
        if (down.status !== 0) problems.push(describeRun(composeArgs('down'), down));
        const left = run([
          'docker',
          'ps',
          '-a',
          '-q',
          '--filter',
          `label=com.docker.compose.project=${PROJECT}`,
        ]);
        if (left.stdout.trim() !== '') problems.push(`containers left behind: ${left.stdout.trim()}`);
      }
      if (workDir !== '') {
        try {
          // The host user can remove what the containers wrote.
          rmSync(workDir, { recursive: true });
        } catch (error) {
          problems.push(`cannot remove ${workDir}: ${error}`);
        }
      }
      assert.deepEqual(problems, [], 'teardown');
    },
    { timeout: 2 * MINUTE },
  );

  it('runs the generals hardened: as the mapped user, read-only, no capabilities, no ports', () => {
    const container = containerOf('general-1');
    const inspected = JSON.parse(mustRun(['docker', 'inspect', container]).stdout) as [
      {
        Config: { User: string };
        HostConfig: {
          ReadonlyRootfs: boolean;
          CapDrop: string[] | null;
          SecurityOpt: string[] | null;
          Memory: number;
          Init: boolean | null;
          PortBindings: Record<string, unknown> | null;
        };
        NetworkSettings: { Ports: Record<string, unknown[] | null> | null };
      },
    ];
    const [details] = inspected;
    assert.equal(details.Config.User, `${uid}:${gid}`);
    assert.equal(details.HostConfig.ReadonlyRootfs, true);
    assert.deepEqual(details.HostConfig.CapDrop, ['ALL']);
    assert.ok(details.HostConfig.SecurityOpt?.includes('no-new-privileges:true'));
    assert.ok(details.HostConfig.Memory > 0, 'a memory limit');
    assert.equal(details.HostConfig.Init, true);
    assert.deepEqual(details.HostConfig.PortBindings ?? {}, {});
    for (const bindings of Object.values(details.NetworkSettings.Ports ?? {})) {
      assert.equal(bindings, null, 'nothing published on the host');
    }
  });

  for (const order of ['ATTACK', 'RETREAT'] as const) {
    it(`agrees on ${order}: \`run client --order ${order} --t ${T}\` exits 0 with IC1 and IC2`, () => {
      const ran = client('--order', order, '--t', `${T}`);
      const shown = describeRun(['run', 'client', '--order', order, '--t', `${T}`], ran);
      // First line: `OM(2) with 7 generals, order ATTACK, run <id>`; kept for the logs check.
      const runId = /\brun (\S+?)[,.]?$/m.exec(ran.stdout)?.[1];
      if (runId !== undefined) runIds.push(runId);
      assert.equal(ran.status, CLIENT_EXIT.agreement, shown);
      assert.match(ran.stdout, new RegExp(`^Final consensus reached: ${order}$`, 'm'), shown);
      assert.match(ran.stdout, /^IC1 holds/m, shown);
      assert.match(ran.stdout, /^IC2 holds/m, shown);
      assert.ok(runId !== undefined, `the output names the run id\n${shown}`);
    });
  }

  it('leaves one intermediate log per general in ./logs, naming each run, owned by the host user', () => {
    assert.equal(runIds.length, 2, 'both runs happened and printed their run id');
    const files = readdirSync(logsDir);
    for (let id = 0; id < GENERALS; id++) {
      const name = `general_${id}_intermediate.log`;
      assert.ok(files.includes(name), `${name} in ${files.join(', ')}`);
      const path = join(logsDir, name);
      const text = readFileSync(path, 'utf8');
      for (const runId of runIds) assert.ok(text.includes(runId), `${name} names run ${runId}`);
      const stat = statSync(path);
      assert.equal(stat.uid, uid, `${name} belongs to uid ${uid}`);
    }
    const intermediate = files.filter((name) => /^general_\d+_intermediate\.log$/.test(name));
    assert.equal(intermediate.length, GENERALS, `exactly one per general: ${intermediate.join(', ')}`);
  });

  it("gives each general only its own private key, as a secret, and the cluster's certificates read-only", () => {
    for (const id of [0, 1, TRAITORS[0]]) {
      const container = containerOf(`general-${id}`);
      const secrets = mustRun(['docker', 'exec', container, 'ls', '/run/secrets']).stdout.trim().split('\n');
      assert.deepEqual(secrets, [`general_${id}_key`], `general-${id} holds only its own key`);
      const publicKeys = mustRun(['docker', 'exec', container, 'ls', '/app/certs']).stdout.trim().split('\n');
      // Every general's certificate and the client's, the bundle of them all, and the CA's.
      assert.equal(publicKeys.length, GENERALS + 3, `every certificate: ${publicKeys.join(', ')}`);
      assert.ok(publicKeys.includes('ca.pem') && publicKeys.includes('certs.pem'), publicKeys.join(', '));
      assert.ok(!publicKeys.some((name) => name.includes('private')));
      const write = run(['docker', 'exec', container, 'sh', '-c', 'echo x > /app/certs/general_0.pem']);
      assert.notEqual(write.status, 0, 'the certificates are read-only in the container');
    }
  });

  it('a general that may not read its key exits and says to run as the key owner', () => {
    // Run as a uid that does not own the key.
    const command = composeArgs('run', '--rm', '-T', '--no-deps', '--user', '4242:4242', 'general-1');
    const ran = run(command, { env });
    const shown = describeRun(command, ran);
    assert.notEqual(ran.status, 0, shown);
    const output = `${ran.stdout}\n${ran.stderr}`;
    assert.match(output, /EACCES/, shown);
    assert.match(output, /run as the user that owns the file/, shown);
  });

  it('refuses a client in plaintext (--auth off): exit 3, unreachable', () => {
    const ran = client('--order', 'ATTACK', '--t', `${T}`, '--auth', 'off', '--wait', '3000');
    const shown = describeRun(['run', 'client', '--order', 'ATTACK', '--auth', 'off'], ran);
    assert.equal(ran.status, CLIENT_EXIT.unreachable, shown);
    assert.doesNotMatch(ran.stdout, /Final consensus reached/, shown);
  });

  it('refuses a client of another cluster CA, whose certificate the generals do not trust: exit 3', () => {
    // Another cluster's credentials, made by the generator, readable by the client container's user.
    const stranger = join(workDir, 'stranger');
    mustRun([
      process.execPath,
      '--import',
      TSX,
      join(ROOT, 'generate-compose.ts'),
      `${GENERALS}`,
      'none',
      '--out',
      join(stranger, 'compose.yaml'),
    ]);
    const strangerKey = join(stranger, 'keys', 'private', 'client.pem');
    if (hostUid === 0) chownSync(strangerKey, uid, gid);
    // The key file itself, as a compose secret would be: its directory is closed to the container.
    const command = composeArgs(
      'run',
      '--rm',
      '-T',
      '-v',
      `${strangerKey}:/stranger/client.pem:ro`,
      '-v',
      `${join(stranger, 'keys', 'public')}:/stranger/public:ro`,
      'client',
      '--order',
      'ATTACK',
      '--t',
      `${T}`,
      '--wait',
      '3000',
      '--key',
      '/stranger/client.pem',
      '--certs',
      '/stranger/public',
    );
    const ran = run(command, { env });
    const shown = describeRun(command, ran);
    assert.equal(ran.status, CLIENT_EXIT.unreachable, shown);
    assert.doesNotMatch(ran.stdout, /Final consensus reached/, shown);
  });

  it(`SM(${SM_T}) on the same cluster: \`run client --algorithm sm --order ATTACK --t ${SM_T} --json\` agrees, with exact counts`, () => {
    // t = n-2 = 5: OM would refuse it (n <= 3t), SM needs only n >= t+2.
    const flags = ['--algorithm', 'sm', '--order', 'ATTACK', '--t', `${SM_T}`, '--json'];
    const ran = client(...flags);
    const shown = describeRun(['run', 'client', ...flags], ran);
    assert.equal(ran.status, CLIENT_EXIT.agreement, shown);
    assert.ok(ran.stdout.trim().startsWith('{'), `a JSON report of the run on stdout\n${shown}`);
    const result = JSON.parse(ran.stdout) as {
      runId: string;
      algorithm: string;
      ic1: boolean;
      ic2: boolean;
      generals: { id: number; decision: string | null }[];
      messages: { expected: number; delivered: number; invalid?: number };
      rpcs: number;
    };
    assert.equal(result.algorithm, 'sm', shown);
    assert.equal(result.ic1, true, shown);
    assert.equal(result.ic2, true, shown);
    // The commander is loyal and signs ATTACK for every lieutenant; a traitor cannot forge its
    // signature, and each opposite value a traitor relays is a tampered chain, ignored. So every
    // loyal lieutenant's V is {ATTACK}, and it decides ATTACK.
    const loyal = result.generals.filter(
      (g) => g.id !== 0 && !(TRAITORS as readonly number[]).includes(g.id),
    );
    assert.deepEqual(
      loyal.map((g) => g.id),
      [1, 3, 4, 6],
      shown,
    );
    for (const g of loyal) assert.equal(g.decision, 'ATTACK', `general ${g.id} decides ATTACK\n${shown}`);

    // Counts, derived by hand for n = 7, t = 5, loyal commander, lieutenants 2 and 5 equivocating
    // (the opposite value to even receivers, the genuine one to odd receivers):
    const n = GENERALS;
    const lieutenants = n - 1; // 6
    // Round 0: the commander signs ATTACK to each lieutenant: 6 chains.
    const round0 = lieutenants;
    // Round 1: each lieutenant first saw ATTACK in round 0 and relays it once to the 5 other
    // lieutenants (none of them is in the chain 0): 6 x 5 = 30 chains.
    const round1 = lieutenants * (lieutenants - 1);
    // Rounds 2..5: no lieutenant saw a new value in round 1 (ATTACK was known, the RETREATs were
    // tampered), so every batch is empty: no chains.
    // Tampered: 2 sends to 1,3,4,5,6, of which 4 and 6 are even (2); 5 sends to 1,2,3,4,6, of which
    // 2, 4 and 6 are even (3). 2 + 3 = 5, all ignored where they arrive.
    const invalid = 2 + 3;
    assert.deepEqual(
      result.messages,
      { expected: round0 + round1, delivered: round0 + round1 - invalid, invalid },
      shown,
    );
    assert.deepEqual(result.messages, { expected: 36, delivered: 31, invalid: 5 }, shown);
    // RPCs: n-1 in round 0, then every lieutenant sends every other lieutenant a batch (empty or not)
    // in each of the t rounds: (n-1) + t(n-1)(n-2) = 6 + 5 x 6 x 5 = 156.
    assert.equal(result.rpcs, n - 1 + SM_T * (n - 1) * (n - 2), shown);
    assert.equal(result.rpcs, 156, shown);

    // The loyal lieutenants' logs name the tampered chains they ignored: 4 and 6 got 0.2 from 2 and
    // 0.5 from 5, both RETREAT in round 1; 1 and 3 (odd) got only genuine chains.
    const ignored = (id: number) =>
      readFileSync(join(logsDir, `general_${id}_intermediate.log`), 'utf8')
        .split('\n')
        .filter((line) => line.includes(`run=${result.runId} `) && line.includes('IGNORED'));
    assert.ok(
      loyal.some((g) => ignored(g.id).some((line) => /\bfrom=(2|5)\b/.test(line))),
      `some loyal lieutenant logs IGNORED for a chain relayed by 2 or 5\n${shown}`,
    );
    for (const id of [4, 6]) {
      assert.deepEqual(
        ignored(id)
          .map((line) => /round=(\d+) from=(\d+) chain=([\d.]+) value=(\w+)/.exec(line)?.slice(1).join(' '))
          .sort(),
        ['1 2 0.2 RETREAT', '1 5 0.5 RETREAT'],
        `general ${id}'s IGNORED lines:\n${ignored(id).join('\n')}`,
      );
    }
    for (const id of [1, 3]) assert.deepEqual(ignored(id), [], `general ${id} ignored nothing`);
  });

  it(`King(${T}) on the same cluster: \`run client --algorithm king --order ATTACK --t ${T} --json\` agrees, with exact counts`, () => {
    const flags = ['--algorithm', 'king', '--order', 'ATTACK', '--t', `${T}`, '--json'];
    const ran = client(...flags);
    const shown = describeRun(['run', 'client', ...flags], ran);
    assert.equal(ran.status, CLIENT_EXIT.agreement, shown);
    const result = JSON.parse(ran.stdout) as {
      algorithm: string;
      ic1: boolean;
      ic2: boolean;
      consensus: string | null;
      messages: { expected: number; delivered: number };
      rpcs: number;
      phases: { phase: number; king: number }[];
    };
    assert.deepEqual(
      [result.algorithm, result.ic1, result.ic2, result.consensus],
      ['king', true, true, 'ATTACK'],
      shown,
    );
    // Counts by hand for n = 7, t = 2, no silent general: the order to 6 lieutenants, then 3 phases
    // of value and propose rounds (every general to the 6 others: 7 x 6 = 42 each) and a king round
    // (the king to the 6 others): 6 + 3 x (42 + 42 + 6) = 276 messages, one batch each.
    assert.deepEqual(result.messages, { expected: 276, delivered: 276 }, shown);
    assert.equal(result.rpcs, 276, shown);
    // The king of phase p is general p-1.
    assert.deepEqual(
      result.phases.map((p) => [p.phase, p.king]),
      [
        [1, 0],
        [2, 1],
        [3, 2],
      ],
      shown,
    );
  });

  describe(`with general ${PAUSED} (a loyal lieutenant) paused`, () => {
    before(() => {
      paused = containerOf(`general-${PAUSED}`);
      mustRun(['docker', 'pause', paused]);
    });
    after(() => {
      if (paused !== undefined) mustRun(['docker', 'unpause', paused]);
      paused = undefined;
    });

    it('the client names the paused general and exits 3', () => {
      const ran = client('--order', 'ATTACK', '--t', `${T}`, '--wait', `${PAUSED_WAIT_MS}`);
      const shown = describeRun(['run', 'client', '--order', 'ATTACK', '--wait', `${PAUSED_WAIT_MS}`], ran);
      assert.equal(ran.status, CLIENT_EXIT.unreachable, shown);
      assert.match(`${ran.stdout}\n${ran.stderr}`, new RegExp(`general[ -]${PAUSED}\\b`), shown);
    });

    it('the run still finishes through round deadlines and the other loyal lieutenants agree', () => {
      const ran = client('--order', 'ATTACK', '--t', `${T}`, '--wait', `${PAUSED_WAIT_MS}`, '--json');
      const shown = describeRun(['run', 'client', '--order', 'ATTACK', '--json'], ran);
      assert.equal(ran.status, CLIENT_EXIT.unreachable, shown);
      assert.ok(ran.stdout.trim().startsWith('{'), `a JSON report of the run on stdout\n${shown}`);
      const result = JSON.parse(ran.stdout) as {
        generals: { id: number; decision: string | null; reachable?: boolean }[];
        messages: { expected: number; delivered: number };
        elapsedMs: number;
      };
      const pausedReport = result.generals.find((g) => g.id === PAUSED);
      assert.equal(pausedReport?.reachable, false, `general ${PAUSED} is reported unreachable\n${shown}`);
      assert.ok(result.messages.delivered < result.messages.expected, `its values went missing\n${shown}`);
      assert.ok(result.elapsedMs >= ROUND_TIMEOUT_MS, `a round waited for its deadline\n${shown}`);
      // Three faults exceed t=2, so IC2 is not promised; but the strategies are deterministic and the
      // remaining loyal lieutenants (1, 4, 6) reach one decision, as the simulator shows for this case.
      assertOthersAgree(result.generals, PAUSED, shown);
    });
  });

  describe(`with general ${MISKEYED} (a loyal lieutenant) holding credentials nobody trusts`, () => {
    const forged = generateKeyPairSync('ed25519');
    const forgedPem = forged.privateKey.export({ type: 'pkcs8', format: 'pem' });

    it('refuses to start while its private key does not match its certificate, and says so', async () => {
      // Its secret is the host file: overwrite it in place (same owner, same 0600) and restart it.
      writeFileSync(join(keysDir, 'private', `general_${MISKEYED}.pem`), forgedPem);
      mustRun(composeArgs('restart', '--timeout', '5', `general-${MISKEYED}`), { env });
      const deadline = Date.now() + LIMITS.command;
      let logs = '';
      while (Date.now() < deadline) {
        logs = run(composeArgs('logs', '--no-color', `general-${MISKEYED}`), { env }).stdout;
        if (/is not general \d+'s key/.test(logs)) break;
        await delay(LIMITS.pollMs);
      }
      assert.match(logs, new RegExp(`general_${MISKEYED}_key is not general ${MISKEYED}'s key`), tail(logs));
    });

    it('with a key and certificates from another CA it starts, nobody talks to it, and the others agree', async () => {
      // Its own cluster, as a stranger would make one: the generator in another directory. Given
      // that key and that CA (an override file), general 3 starts and is healthy by its own lights,
      // but no general of this cluster completes a TLS handshake with it, nor it with them.
      const stranger = join(workDir, 'stranger-general');
      mustRun([
        process.execPath,
        '--import',
        TSX,
        join(ROOT, 'generate-compose.ts'),
        `${GENERALS}`,
        'none',
        '--out',
        join(stranger, 'compose.yaml'),
      ]);
      const strangerKey = join(stranger, 'keys', 'private', `general_${MISKEYED}.pem`);
      if (hostUid === 0) chownSync(strangerKey, uid, gid);
      const override = join(workDir, 'stranger.yaml');
      writeFileSync(
        override,
        [
          'services:',
          `  general-${MISKEYED}:`,
          `    volumes: ["${logsDir}:/app/logs", "${join(stranger, 'keys', 'public')}:/app/certs:ro"]`,
          `    secrets: [stranger_key]`,
          '    environment:',
          '      PRIVATE_KEY_FILE: /run/secrets/stranger_key',
          'secrets:',
          '  stranger_key:',
          `    file: "${strangerKey}"`,
          '',
        ].join('\n'),
      );
      const withOverride = (...args: string[]) => [
        ...compose,
        '-p',
        PROJECT,
        '-f',
        composeFile,
        '-f',
        override,
        ...args,
      ];
      mustRun(withOverride('up', '-d', '--no-build', '--no-deps', `general-${MISKEYED}`), { env });
      await waitHealthy([MISKEYED]);

      const ran = client('--order', 'ATTACK', '--t', `${T}`, '--wait', `${PAUSED_WAIT_MS}`, '--json');
      const shown = describeRun(['run', 'client', '--order', 'ATTACK', '--json'], ran);
      assert.equal(ran.status, CLIENT_EXIT.unreachable, shown);
      assert.ok(ran.stdout.trim().startsWith('{'), `a JSON report of the run on stdout\n${shown}`);
      const result = JSON.parse(ran.stdout) as {
        generals: { id: number; decision: string | null; reachable?: boolean }[];
        messages: { expected: number; delivered: number };
      };
      assert.equal(
        result.generals.find((g) => g.id === MISKEYED)?.reachable,
        false,
        `the client cannot reach it either\n${shown}`,
      );
      assert.ok(result.messages.delivered < result.messages.expected, `its values went missing\n${shown}`);
      // As when it was paused: to the others it is silent (3 faults, beyond t=2, so the verdict is not
      // promised), and the strategies being deterministic, the loyal lieutenants 1, 4, 6 agree.
      assertOthersAgree(result.generals, MISKEYED, shown);
    });
  });
});
