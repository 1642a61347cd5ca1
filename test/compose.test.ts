/**
 * The compose target of generate-compose.ts: its arguments, the command line (files, keys, .env,
 * exit status), the committed compose.yaml and the structure of the file, read back as Compose v1
 * reads it (YAML 1.1). Also the container health probe that every target's healthcheck runs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseGenerateArgs } from '../src/deploy/arguments.js';
import { CLUSTER_DEFAULTS } from '../src/deploy/cluster.js';
import { renderCompose } from '../src/deploy/compose.js';
import {
  clusterOf,
  mappingAt,
  problemsOf,
  ROOT,
  readYaml,
  requestOf,
  runGenerator,
  sequenceAt,
  type YamlMap,
} from './deploy/support.js';

/** tsx's loader by absolute URL, so child processes can run TypeScript from any directory. */
const _TSX = import.meta.resolve('tsx');

// biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation
const HOST_USER = '${UID:-1000}:${GID:-1000}';

describe('generate-compose arguments', () => {
  it('reads the seed example: 10 generals, traitors 3,4,7 playing the default strategy, for compose', () => {
    assert.deepEqual(requestOf(['10', '3,4,7']), {
      kind: 'generate',
      target: 'compose',
      out: 'compose.yaml',
      cluster: {
        generals: 10,
        traitors: [
          { id: 3, strategy: 'equivocate' },
          { id: 4, strategy: 'equivocate' },
          { id: 7, strategy: 'equivocate' },
        ],
        roundTimeoutMs: 1000,
        image: 'byzantine-generals:latest',
        credentials: true,
      },
    });
  });

  it('reads --no-auth, a switch without a value, anywhere on the line', () => {
    assert.equal(clusterOf(['4', '1']).credentials, true);
    assert.equal(clusterOf(['4', '1', '--no-auth']).credentials, false);
    assert.equal(clusterOf(['--no-auth', '4', '1', '--out', 'x.yaml']).credentials, false);
  });

  it('picks the target with --swarm or --kubernetes, each with its own default file', () => {
    const swarm = requestOf(['10', '3,4,7', '--swarm']);
    assert.equal(swarm.target, 'swarm');
    assert.equal(swarm.out, 'stack.yaml');
    const kubernetes = requestOf(['--kubernetes', '10', '3,4,7']);
    assert.equal(kubernetes.target, 'kubernetes');
    assert.equal(kubernetes.out, 'kubernetes.yaml');
    assert.equal(requestOf(['10', '3', '--swarm', '--out', 'x/s.yaml']).out, 'x/s.yaml');
    // The cluster itself does not depend on the target.
    assert.deepEqual(swarm.cluster, clusterOf(['10', '3,4,7']));
  });

  it('reads per-traitor strategies, --strategy for the rest, and sorts by id', () => {
    const cluster = clusterOf(['7', '5,2:flip,4:random:42,6:silent', '--strategy', 'loyal']);
    assert.deepEqual(cluster.traitors, [
      { id: 2, strategy: 'flip' },
      { id: 4, strategy: 'random:42' },
      { id: 5, strategy: 'loyal' },
      { id: 6, strategy: 'silent' },
    ]);
  });

  it('accepts no traitors as an empty string or none', () => {
    assert.deepEqual(clusterOf(['4', '']).traitors, []);
    assert.deepEqual(clusterOf(['4', 'none']).traitors, []);
  });

  it('reads --round-timeout, --image and --out, with or without =', () => {
    const request = requestOf([
      '7',
      '2,5',
      '--round-timeout=500',
      '--image',
      'registry.example/byz:test',
      '--out',
      'x/c.yaml',
    ]);
    assert.equal(request.cluster.roundTimeoutMs, 500);
    assert.equal(request.cluster.image, 'registry.example/byz:test');
    assert.equal(request.out, 'x/c.yaml');
  });

  it('takes an image from a registry with a port, as Swarm and Kubernetes nodes pull it', () => {
    for (const image of [
      'registry:5000/byzantine-generals:deploy',
      'localhost:5000/a/b/c:1.2',
      `byz@sha256:${'a'.repeat(64)}`,
    ]) {
      assert.equal(clusterOf(['4', '1', '--image', image]).image, image);
    }
  });

  it('answers --help anywhere on the line', () => {
    assert.deepEqual(parseGenerateArgs(['--help']), { kind: 'help' });
    assert.deepEqual(parseGenerateArgs(['10', 'bad', '--swarm', '--kubernetes', '-h']), { kind: 'help' });
  });

  const refusals: readonly (readonly [string, readonly string[], RegExp])[] = [
    ['N below 2', ['1', 'none'], /N '1' .*from 2 to 1000/],
    ['N above 1000 (ids are 0..999)', ['1001', 'none'], /N '1001' .*from 2 to 1000/],
    ['N not a number', ['ten', '3'], /N 'ten' .*whole number/],
    ['N negative', ['-3', '1'], /N '-3' .*whole number/],
    ['N fractional', ['2.5', '1'], /N '2\.5'/],
    ['N missing', [], /N is missing/],
    ['TRAITORS missing', ['10'], /TRAITORS is missing/],
    ['traitor out of range', ['10', '3,10'], /traitor 10 is out of range: with N=10 the ids are 0\.\.9/],
    ['traitor repeated', ['10', '3,4,3'], /traitor 3 is listed more than once/],
    ['traitor repeated with a strategy', ['10', '3,3:flip'], /traitor 3 is listed more than once/],
    ['traitor not a number', ['10', '3,x'], /traitor 'x': 'x' is not a general id/],
    ['empty traitor entry', ['10', '3,,4'], /empty entry/],
    [
      'unknown strategy for a traitor',
      ['10', '3:sneaky'],
      /traitor 3: unknown strategy 'sneaky'; expected one of/,
    ],
    ['unknown --strategy', ['10', '3', '--strategy', 'nope'], /--strategy: unknown strategy 'nope'/],
    ['random with a bad seed', ['10', '3:random:x'], /unknown strategy 'random:x'.*random:SEED/],
    ['random with a seed too big', ['10', '3:random:4294967296'], /unknown strategy 'random:4294967296'/],
    ['random without a seed', ['10', '3', '--strategy', 'random'], /'random' needs a seed here.*random:SEED/],
    ['round timeout zero', ['10', '3', '--round-timeout', '0'], /--round-timeout '0' .*milliseconds/],
    ['round timeout not a number', ['10', '3', '--round-timeout', 'fast'], /--round-timeout 'fast'/],
    ['bad image', ['10', '3', '--image', 'Bad Image'], /--image 'Bad Image' is not a valid image name/],
    ['empty out', ['10', '3', '--out', ''], /--out is empty; expected a file path such as compose.yaml/],
    [
      'empty out for a stack',
      ['10', '3', '--swarm', '--out='],
      /--out is empty; expected a file path such as stack.yaml/,
    ],
    ['option without value', ['10', '3', '--out'], /--out needs a value/],
    ['option twice', ['10', '3', '--image', 'a', '--image', 'b'], /--image is given more than once/],
    [
      'unknown option',
      ['10', '3', '--traitors', '3'],
      /unknown option '--traitors'.*--no-auth, --swarm, --kubernetes/,
    ],
    ['--no-auth with a value', ['10', '3', '--no-auth=yes'], /--no-auth takes no value/],
    ['--no-auth twice', ['10', '3', '--no-auth', '--no-auth'], /--no-auth is given more than once/],
    ['--swarm with a value', ['10', '3', '--swarm=yes'], /--swarm takes no value/],
    [
      '--swarm and --kubernetes',
      ['10', '3', '--swarm', '--kubernetes'],
      /--swarm and --kubernetes are both given; give one/,
    ],
    ['extra argument', ['10', '3', '4'], /unexpected argument '4'/],
  ];
  for (const [what, argv, expected] of refusals) {
    it(`refuses ${what}: ${JSON.stringify(argv)}`, () => {
      const problems = problemsOf(argv);
      assert.ok(
        problems.some((problem) => expected.test(problem)),
        `${JSON.stringify(problems)} should match ${expected}`,
      );
    });
  }

  it('names every problem at once', () => {
    const problems = problemsOf(['1', '0,0', '--strategy', 'nope', '--swarm', '--kubernetes']);
    assert.ok(problems.some((p) => /N '1'/.test(p)));
    assert.ok(problems.some((p) => /--strategy: unknown strategy 'nope'/.test(p)));
    assert.ok(problems.some((p) => /--swarm and --kubernetes/.test(p)));
  });

  it('does not check N > 3t: t is the client flag, and the file only notes the bound and SM', () => {
    const cluster = clusterOf(['4', '1,2']);
    assert.equal(cluster.traitors.length, 2);
    const text = renderCompose(cluster);
    assert.match(text, /# Note: 4 generals cannot tolerate 2 traitors with oral messages/);
    assert.match(text, /--allow-unsafe, or --algorithm sm/);
    assert.doesNotMatch(renderCompose(clusterOf(['4', '1'])), /# Note:/);
  });
});

describe('generate-compose command line', () => {
  let work = '';
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'compose-cli-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  const badRuns: readonly (readonly string[])[] = [
    ['1', 'none'],
    ['10', '3,11'],
    ['10', '3,3'],
    ['10', '3:sneaky'],
    ['10', '3', '--strategy', 'nope'],
    ['10', '3', '--swarm', '--kubernetes'],
    [],
  ];
  for (const argv of badRuns) {
    it(`exits 2, explains and writes nothing for ${JSON.stringify(argv)}`, () => {
      const cwd = mkdtempSync(join(work, 'bad-'));
      const result = runGenerator([...argv, '--out', 'sub/compose.yaml'], cwd);
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, /^generate-compose: /);
      assert.match(result.stderr, /Nothing was written/);
      assert.equal(result.stdout, '');
      assert.deepEqual(readdirSync(cwd), []);
    });
  }

  it('prints usage for --help and exits 0, writing nothing', () => {
    const cwd = mkdtempSync(join(work, 'help-'));
    const result = runGenerator(['--help'], cwd);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /Usage: npx tsx generate-compose.ts N TRAITORS \[--swarm \| --kubernetes\]/);
    const options = [
      '--swarm',
      '--kubernetes',
      '--strategy',
      '--round-timeout',
      '--image',
      '--out',
      '--no-auth',
      '--help',
    ];
    for (const option of options) {
      assert.match(result.stdout, new RegExp(`^ {2}(-h, )?${option}\\b`, 'm'), `--help describes ${option}`);
    }
    // What a user needs to know about the credentials, .env, and the SM alternative to OM's bound.
    for (const topic of [
      /keys\/private/,
      /0600/,
      /secret/,
      /rotate/,
      /\.env/,
      /--algorithm sm/,
      /stack.yaml/,
      /kubectl apply/,
    ]) {
      assert.match(result.stdout, topic);
    }
    assert.doesNotMatch(result.stdout, /export UID/, 'nothing to export any more');
    assert.deepEqual(readdirSync(cwd), []);
  });

  it('writes the file, a logs directory and .env beside it, and says what comes next', () => {
    const cwd = mkdtempSync(join(work, 'good-'));
    const result = runGenerator(['7', '2,5', '--out', 'cluster/compose.yaml'], cwd);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Wrote cluster\/compose.yaml: 7 generals/);
    assert.match(result.stdout, /docker compose -f cluster\/compose.yaml run client --order ATTACK --t 2/);
    assert.doesNotMatch(result.stdout, /export/, 'no step to export anything');
    const written = readFileSync(join(cwd, 'cluster', 'compose.yaml'), 'utf8');
    assert.equal(written, renderCompose(clusterOf(['7', '2,5'])));
    // Sticky and writable by all, like /tmp: the generals can write whatever uid they run as.
    assert.equal(statSync(join(cwd, 'cluster', 'logs')).mode & 0o7777, 0o1777);
    assert.ok(
      existsSync(join(cwd, 'cluster', '.env')),
      '.env is beside compose.yaml, where Compose reads it',
    );
    assert.ok(!existsSync(join(cwd, '.env')));
  });

  it("writes the keys' owner into .env: this user, who made them, so the containers can read them", () => {
    const cwd = mkdtempSync(join(work, 'env-'));
    const result = runGenerator(['4', '1'], cwd);
    assert.equal(result.status, 0, result.stderr);
    const uid = process.getuid?.() ?? -1;
    const gid = process.getgid?.() ?? -1;
    assert.equal(statSync(join(cwd, 'keys', 'private', 'client.pem')).uid, uid, "the keys are this user's");
    const lines = readFileSync(join(cwd, '.env'), 'utf8').split('\n');
    assert.deepEqual(
      lines.filter((line) => !line.startsWith('#')),
      [`UID=${uid}`, `GID=${gid}`, ''],
    );
    assert.match(
      result.stdout,
      new RegExp(`Wrote UID=${uid} and GID=${gid} into \\.env: the containers run as ${uid}:${gid}`),
    );
    // A rerun finds it right and leaves it alone.
    const rerun = runGenerator(['4', '1'], cwd);
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.match(rerun.stdout, new RegExp(`\\.env already says UID=${uid} GID=${gid}`));
    assert.deepEqual(readFileSync(join(cwd, '.env'), 'utf8').split('\n'), lines);
  });

  it("keeps every line of a user's .env and adds only UID and GID", () => {
    const cwd = mkdtempSync(join(work, 'env-merge-'));
    const mine = '# my settings\nCOMPOSE_PROJECT_NAME=generals\nNODE_IMAGE=local/node:20\n';
    writeFileSync(join(cwd, '.env'), mine);
    const result = runGenerator(['4', '1'], cwd);
    assert.equal(result.status, 0, result.stderr);
    const text = readFileSync(join(cwd, '.env'), 'utf8');
    assert.ok(text.startsWith(mine), "the user's lines come first, unchanged");
    assert.match(
      text.slice(mine.length),
      new RegExp(`^#.*\nUID=${process.getuid?.()}\nGID=${process.getgid?.()}\n$`),
    );
  });

  it('refuses a .env that runs the containers as someone else, says what to change, writes no compose.yaml', () => {
    const cwd = mkdtempSync(join(work, 'env-conflict-'));
    const other = (process.getuid?.() ?? 0) + 4242;
    writeFileSync(join(cwd, '.env'), `UID=${other}\n`);
    const result = runGenerator(['4', '1'], cwd);
    assert.equal(result.status, 1, result.stdout);
    assert.match(
      result.stderr,
      new RegExp(`\\.env sets UID=${other}, but the keys belong to uid ${process.getuid?.()}`),
    );
    assert.match(result.stderr, /compose.yaml was not written/);
    assert.ok(!existsSync(join(cwd, 'compose.yaml')));
    assert.equal(readFileSync(join(cwd, '.env'), 'utf8'), `UID=${other}\n`, '.env is left as it was');
  });

  it('says when an exported UID would win over .env', () => {
    const cwd = mkdtempSync(join(work, 'env-exported-'));
    const other = (process.getuid?.() ?? 0) + 7;
    const result = runGenerator(['4', '1'], cwd, { UID: `${other}` });
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stdout,
      new RegExp(`your environment exports UID=${other}, which Compose uses instead of \\.env`),
    );
  });

  it('makes a CA, a private key per general and one for the client (0600 in 0700), and a certificate each', () => {
    const cwd = mkdtempSync(join(work, 'keys-'));
    const result = runGenerator(['4', '1', '--out', 'cluster/compose.yaml'], cwd);
    assert.equal(result.status, 0, result.stderr);
    const names = ['client', 'general_0', 'general_1', 'general_2', 'general_3'];
    assert.match(
      result.stdout,
      /created general_0, general_1, general_2, general_3, client; kept none; a new cluster CA/,
    );
    const keys = join(cwd, 'cluster', 'keys');
    assert.deepEqual(readdirSync(join(keys, 'private')).sort(), names.map((name) => `${name}.pem`).sort());
    assert.equal(statSync(join(keys, 'private')).mode & 0o777, 0o700);
    assert.equal(statSync(join(keys, 'ca', 'ca-key.pem')).mode & 0o777, 0o600, 'the CA key is 0600');
    assert.deepEqual(
      readdirSync(join(keys, 'public')).sort(),
      [...names.map((name) => `${name}.pem`), 'ca.pem', 'certs.pem'].sort(),
    );
    for (const name of names) {
      const privatePath = join(keys, 'private', `${name}.pem`);
      assert.equal(statSync(privatePath).mode & 0o777, 0o600, `${name}.pem is 0600`);
      assert.match(readFileSync(privatePath, 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
      assert.match(readFileSync(join(keys, 'public', `${name}.pem`), 'utf8'), /^-----BEGIN CERTIFICATE-----/);
    }
    const bundle = readFileSync(join(keys, 'public', 'certs.pem'), 'utf8');
    assert.equal(
      bundle.match(/BEGIN CERTIFICATE/g)?.length,
      names.length,
      'one certificate each in the bundle',
    );
    // The compose file names the key files and holds none of their contents.
    const written = readFileSync(join(cwd, 'cluster', 'compose.yaml'), 'utf8');
    assert.doesNotMatch(written, /BEGIN|PRIVATE KEY|MC4CAQAwBQYDK2Vw/);
    assert.match(written, /file: \.\/keys\/private\/general_0\.pem/);
  });

  it('keeps existing keys on a rerun and adds only the missing ones', () => {
    const cwd = mkdtempSync(join(work, 'rerun-'));
    assert.equal(runGenerator(['4', '1'], cwd).status, 0);
    const keyOf = (name: string) => readFileSync(join(cwd, 'keys', 'private', `${name}.pem`), 'utf8');
    const before = keyOf('general_2');
    assert.ok(!existsSync(join(cwd, 'keys', 'private', 'general_4.pem')));
    const rerun = runGenerator(['5', '1'], cwd);
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.equal(keyOf('general_2'), before, 'a kept key is not rewritten');
    assert.equal(statSync(join(cwd, 'keys', 'private', 'general_4.pem')).mode & 0o777, 0o600);
  });

  it('--no-auth makes no keys and turns authentication off everywhere', () => {
    const cwd = mkdtempSync(join(work, 'noauth-'));
    const result = runGenerator(['4', '1', '--no-auth'], cwd);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(readdirSync(cwd).sort(), ['.env', 'compose.yaml', 'logs']);
    assert.doesNotMatch(result.stdout, /Keys in/);
    assert.equal(
      readFileSync(join(cwd, 'compose.yaml'), 'utf8'),
      renderCompose(clusterOf(['4', '1', '--no-auth'])),
    );
  });

  it('says so and writes no compose file when the keys cannot be made', () => {
    const cwd = mkdtempSync(join(work, 'badkeys-'));
    // A file where the keys directory should be.
    writeFileSync(join(cwd, 'keys'), 'not a directory');
    const result = runGenerator(['4', '1'], cwd);
    assert.equal(result.status, 1, result.stdout);
    assert.match(result.stderr, /cannot prepare the keys in .*keys/);
    assert.ok(!existsSync(join(cwd, 'compose.yaml')));
    assert.ok(!existsSync(join(cwd, '.env')));
  });
});

describe('compose.yaml', () => {
  it('is a pure function of the arguments: the same bytes every time, whatever the traitor order', () => {
    const first = renderCompose(clusterOf(['10', '3,4,7']));
    assert.equal(renderCompose(clusterOf(['10', '3,4,7'])), first);
    assert.equal(renderCompose(clusterOf(['10', '7,3,4'])), first);
    assert.equal(renderCompose(clusterOf(['10', '3:equivocate,4,7', '--strategy', 'equivocate'])), first);
    assert.notEqual(renderCompose(clusterOf(['10', '3,4,8'])), first);
  });

  it('committed at the repository root is the output for the seed example (regenerate if this fails)', () => {
    const committed = readFileSync(join(ROOT, 'compose.yaml'), 'utf8');
    assert.equal(committed, renderCompose(clusterOf(['10', '3,4,7'])));
  });

  it('names the command that regenerates it, and no step to export anything', () => {
    const text = renderCompose(clusterOf(['10', '3,4,7']));
    assert.match(text, /^# {3}npx tsx generate-compose.ts 10 3,4,7$/m);
    assert.doesNotMatch(text, /export/);
    assert.match(
      renderCompose(clusterOf(['7', '2,5:flip', '--strategy', 'silent', '--round-timeout', '500'])),
      /^# {3}npx tsx generate-compose.ts 7 2:silent,5:flip --round-timeout 500$/m,
    );
  });

  const document = readYaml(renderCompose(clusterOf(['10', '3,4:flip,7:random:9'])));
  const services = mappingAt(document.services, 'services');
  const generalNames = Array.from({ length: 10 }, (_, id) => `general-${id}`);
  const peers = generalNames.map((name) => `${name}:50051`).join(',');
  const serviceAt = (name: string): YamlMap => mappingAt(services[name], name);
  const environmentOf = (name: string): YamlMap =>
    mappingAt(serviceAt(name).environment, `${name}.environment`);

  it('has one service per general and a client, a network and the key secrets, nothing else at the top', () => {
    assert.deepEqual(Object.keys(document), ['services', 'networks', 'secrets']);
    assert.deepEqual(Object.keys(services), [...generalNames, 'client']);
  });

  it('declares one secret per general and one for the client, each a file in ./keys/private', () => {
    const expected: YamlMap = {};
    for (let id = 0; id < 10; id++)
      expected[`general_${id}_key`] = { file: `./keys/private/general_${id}.pem` };
    expected.client_key = { file: './keys/private/client.pem' };
    assert.deepEqual(document.secrets, expected);
  });

  it('gives each general exactly its own private key, and ca.pem and certs.pem read-only (CERTS_DIR)', () => {
    for (const [id, name] of generalNames.entries()) {
      const general = serviceAt(name);
      assert.deepEqual(general.secrets, [`general_${id}_key`], `${name} holds only its own key`);
      assert.equal(environmentOf(name).PRIVATE_KEY_FILE, `/run/secrets/general_${id}_key`);
      assert.equal(environmentOf(name).CERTS_DIR, '/app/certs');
      assert.equal(environmentOf(name).AUTH, undefined, 'authentication is on by default');
      // Nothing else from ./keys: the public directory read-only, no private directory, no other key.
      const keyMounts = sequenceAt(general.volumes, `${name}.volumes`).filter((volume) =>
        String(volume).includes('keys'),
      );
      assert.deepEqual(keyMounts, ['./keys/public:/app/certs:ro']);
    }
  });

  it("gives the client only the client key and CERTS_DIR, run as the keys' owner so it can read it", () => {
    const client = serviceAt('client');
    assert.deepEqual(client.secrets, ['client_key']);
    assert.equal(environmentOf('client').CLIENT_KEY_FILE, '/run/secrets/client_key');
    assert.equal(environmentOf('client').CERTS_DIR, '/app/certs');
    assert.deepEqual(client.volumes, ['./keys/public:/app/certs:ro']);
    assert.equal(client.user, HOST_USER);
  });

  it('embeds no key material, only references to files', () => {
    const text = renderCompose(clusterOf(['10', '3,4,7']));
    assert.doesNotMatch(text, /BEGIN|PRIVATE KEY|CERTIFICATE-/);
    assert.match(text, /^# .*\.\/keys/m, 'the header says where the keys are');
  });

  it('with --no-auth: AUTH=off in every service, no secrets, no credential mounts', () => {
    const open = readYaml(renderCompose(clusterOf(['4', '1', '--no-auth'])));
    assert.deepEqual(Object.keys(open), ['services', 'networks']);
    for (const [name, service] of Object.entries(mappingAt(open.services, 'services'))) {
      const entry = mappingAt(service, name);
      const environment = mappingAt(entry.environment, `${name}.environment`);
      assert.equal(environment.AUTH, 'off', `${name} AUTH=off`);
      assert.equal(entry.secrets, undefined, `${name} has no secrets`);
      for (const key of ['PRIVATE_KEY_FILE', 'CERTS_DIR', 'CLIENT_KEY_FILE']) {
        assert.equal(environment[key], undefined, `${name} has no ${key}`);
      }
      assert.deepEqual(entry.volumes, name === 'client' ? undefined : ['./logs:/app/logs']);
    }
    assert.match(
      renderCompose(clusterOf(['4', '1', '--no-auth'])),
      /^# {3}npx tsx generate-compose.ts 4 1 --no-auth$/m,
    );
  });

  it('configures every general only through its environment', () => {
    for (const [id, name] of generalNames.entries()) {
      const traitor = { 3: 'equivocate', 4: 'flip', 7: 'random:9' }[id] ?? 'false';
      assert.deepEqual(environmentOf(name), {
        ID: `${id}`,
        TRAITOR: traitor,
        PEERS: peers,
        PORT: '50051',
        ROUND_TIMEOUT_MS: '1000',
        LOG_DIR: '/app/logs',
        METRICS_PORT: '9464',
        PRIVATE_KEY_FILE: `/run/secrets/general_${id}_key`,
        CERTS_DIR: '/app/certs',
      });
      assert.deepEqual(serviceAt(name).command, ['general']);
      assert.equal(serviceAt(name).entrypoint, undefined, 'generals use the image entrypoint');
    }
  });

  it('runs every service from the one image, built from this directory', () => {
    for (const name of Object.keys(services)) {
      assert.equal(serviceAt(name).image, CLUSTER_DEFAULTS.image);
      assert.equal(mappingAt(serviceAt(name).build, `${name}.build`).context, '.');
    }
  });

  it("keeps ./logs on the host, mounted where LOG_DIR points, every container as the keys' owner", () => {
    for (const name of generalNames) {
      assert.deepEqual(serviceAt(name).volumes, ['./logs:/app/logs', './keys/public:/app/certs:ro']);
    }
    for (const name of Object.keys(services)) assert.equal(serviceAt(name).user, HOST_USER);
  });

  it('hardens every container and gives every general a restart policy and a healthcheck', () => {
    for (const name of Object.keys(services)) {
      const entry = serviceAt(name);
      assert.equal(entry.init, true, `${name} init`);
      assert.equal(entry.read_only, true, `${name} read_only`);
      assert.deepEqual(entry.tmpfs, ['/tmp'], `${name} tmpfs`);
      assert.deepEqual(entry.cap_drop, ['ALL'], `${name} cap_drop`);
      assert.deepEqual(entry.security_opt, ['no-new-privileges:true'], `${name} security_opt`);
      assert.match(String(entry.mem_limit), /^\d+[mg]$/, `${name} mem_limit`);
      assert.equal(entry.ports, undefined, `${name} publishes no ports`);
      // Only the generals' metrics port, and only to the private network.
      assert.deepEqual(entry.expose, name === 'client' ? undefined : ['9464'], `${name} exposes`);
      assert.deepEqual(entry.networks, ['byzantine'], `${name} is on the private network`);
    }
    for (const name of generalNames) {
      assert.ok(['on-failure', 'unless-stopped', 'always'].includes(String(serviceAt(name).restart)));
      const healthcheck = mappingAt(serviceAt(name).healthcheck, `${name}.healthcheck`);
      assert.deepEqual(healthcheck.test, ['CMD', 'node', '/app/dist/src/healthcheck.js']);
    }
  });

  it("serves every general's metrics on 9464 inside the network, labelled for Prometheus to scrape", () => {
    for (const name of generalNames) {
      const general = mappingAt(services[name], name);
      assert.equal(mappingAt(general.environment, name).METRICS_PORT, '9464');
      assert.deepEqual(mappingAt(general.labels, `${name}.labels`), {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '9464',
        'prometheus.io/path': '/metrics',
      });
    }
    const client = mappingAt(services.client, 'client');
    assert.equal(client.labels, undefined, 'the one-shot client has nothing to scrape');
  });

  it('has a one-shot client under its own profile whose flags come from `docker compose run`', () => {
    const client = serviceAt('client');
    assert.deepEqual(client.profiles, ['client']);
    assert.deepEqual(client.entrypoint, ['node', 'dist/src/cli.js', 'client']);
    assert.equal(client.command, undefined, 'run appends the flags as the command');
    assert.deepEqual(environmentOf('client'), {
      PEERS: peers,
      TRAITORS: '3:equivocate,4:flip,7:random:9',
      CLIENT_KEY_FILE: '/run/secrets/client_key',
      CERTS_DIR: '/app/certs',
    });
    assert.deepEqual(client.depends_on, generalNames);
    assert.equal(client.restart, undefined);
  });

  it('has one private network', () => {
    assert.deepEqual(document.networks, { byzantine: { driver: 'bridge' } });
  });

  it('carries --round-timeout and --image into every service', () => {
    const custom = readYaml(
      renderCompose(clusterOf(['4', 'none', '--round-timeout', '250', '--image', 'byz/test:e2e'])),
    );
    const customServices = mappingAt(custom.services, 'services');
    for (const [name, service] of Object.entries(customServices)) {
      const entry = mappingAt(service, name);
      assert.equal(entry.image, 'byz/test:e2e');
      if (name !== 'client') {
        assert.equal(mappingAt(entry.environment, name).ROUND_TIMEOUT_MS, '250');
        assert.equal(mappingAt(entry.environment, name).TRAITOR, 'false');
      }
    }
    assert.equal(mappingAt(mappingAt(customServices.client, 'client').environment, 'env').TRAITORS, '');
  });
});

describe('keys/ stays out of commits and images', () => {
  it('is ignored by git: no private key can be added by accident', () => {
    for (const path of ['keys/private/general_0.pem', 'keys/private/client.pem', 'keys/public/client.pem']) {
      const ignored = spawnSync('git', ['check-ignore', '--no-index', '-q', path], { cwd: ROOT });
      assert.equal(ignored.status, 0, `git ignores ${path}`);
    }
  });

  it('is left out of the Docker build context by .dockerignore', () => {
    const patterns = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    assert.ok(
      patterns.some((pattern) => /^\/?keys\/?(\*\*)?$/.test(pattern)),
      `.dockerignore excludes keys: ${patterns.join(' ')}`,
    );
    assert.ok(
      !patterns.some((pattern) => pattern.startsWith('!') && pattern.includes('keys')),
      'and never lets it back in',
    );
  });
});
