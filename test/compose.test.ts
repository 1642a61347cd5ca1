/**
 * The compose generator: argument checking, determinism, the committed compose.yaml, and the
 * structure of the file (read back with a small parser for the YAML subset the generator writes).
 * Also the container health probe that the compose healthcheck runs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  COMPOSE_DEFAULTS,
  ComposeArgumentError,
  type ComposeOptions,
  emitYaml,
  parseGenerateComposeArgs,
  renderCompose,
} from '../src/deploy/compose.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** tsx's loader by absolute URL, so child processes can run TypeScript from any directory. */
const TSX = import.meta.resolve('tsx');

// ---------------------------------------------------------------------------------------------
// A reader for the YAML subset the generator writes: block mappings indented by two spaces, block
// sequences of scalars, flow sequences of scalars, plain or double-quoted scalars, full-line comments.

type Yaml = string | number | boolean | Yaml[] | { [key: string]: Yaml };

class YamlSubsetError extends Error {
  override readonly name = 'YamlSubsetError';
}

function readScalar(text: string): string | number | boolean {
  if (text.startsWith('"')) return JSON.parse(text) as string;
  if (/^-?\d+$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^(y|yes|n|no|on|off|null|~)$/i.test(text) || text.includes(': ') || text.includes(' #')) {
    throw new YamlSubsetError(`ambiguous plain scalar '${text}'`);
  }
  return text;
}

function readFlowSequence(text: string): Yaml[] {
  const inner = text.slice(1, -1).trim();
  if (inner === '') return [];
  const items: Yaml[] = [];
  const item = /\s*("(?:[^"\\]|\\.)*"|[^,"[\]{}]+?)\s*(?:,|$)/gy;
  let match = item.exec(inner);
  while (match !== null && match[0] !== '') {
    items.push(readScalar(match[1] ?? ''));
    if (item.lastIndex >= inner.length) break;
    match = item.exec(inner);
  }
  if (item.lastIndex !== inner.length) throw new YamlSubsetError(`bad flow sequence ${text}`);
  return items;
}

function parseYamlSubset(text: string): Yaml {
  const lines = text.split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  let index = 0;
  const indentOf = (line: string): number => line.length - line.trimStart().length;

  function readValue(rest: string, indent: number): Yaml {
    if (rest === '') {
      const next = lines[index];
      if (next === undefined || indentOf(next) <= indent) throw new YamlSubsetError('missing block value');
      return readBlock(indentOf(next));
    }
    if (rest === '{}') return {};
    if (rest.startsWith('[')) return readFlowSequence(rest);
    return readScalar(rest);
  }

  function readBlock(indent: number): Yaml {
    const first = lines[index] ?? '';
    if (first.trimStart().startsWith('- ')) {
      const sequence: Yaml[] = [];
      while (index < lines.length && indentOf(lines[index] ?? '') === indent) {
        const line = (lines[index] ?? '').trimStart();
        if (!line.startsWith('- ')) throw new YamlSubsetError(`expected '- ' in ${line}`);
        index++;
        sequence.push(readScalar(line.slice(2)));
      }
      return sequence;
    }
    const mapping: { [key: string]: Yaml } = {};
    while (index < lines.length && indentOf(lines[index] ?? '') === indent) {
      const line = (lines[index] ?? '').trimStart();
      const key = /^("(?:[^"\\]|\\.)*"|[^\s:"]+):(?: (.*))?$/.exec(line);
      if (key === null) throw new YamlSubsetError(`not a mapping entry: ${line}`);
      const name = readScalar(key[1] ?? '');
      if (typeof name !== 'string') throw new YamlSubsetError(`non-string key in ${line}`);
      if (name in mapping) throw new YamlSubsetError(`duplicate key ${name}`);
      index++;
      mapping[name] = readValue(key[2] ?? '', indent);
    }
    return mapping;
  }

  const document = readBlock(0);
  if (index !== lines.length) throw new YamlSubsetError(`unparsed line: ${lines[index]}`);
  return document;
}

/** Narrows a parsed value to a mapping, failing the test otherwise. */
function mappingAt(value: Yaml | undefined, where: string): { [key: string]: Yaml } {
  assert.ok(
    typeof value === 'object' && value !== null && !Array.isArray(value),
    `${where} should be a mapping`,
  );
  return value;
}

function optionsOf(argv: readonly string[]): ComposeOptions {
  const request = parseGenerateComposeArgs(argv);
  assert.equal(request.kind, 'generate');
  if (request.kind !== 'generate') throw new Error('unreachable');
  return request.options;
}

function problemsOf(argv: readonly string[]): readonly string[] {
  try {
    parseGenerateComposeArgs(argv);
  } catch (error) {
    assert.ok(error instanceof ComposeArgumentError, `expected ComposeArgumentError, got ${error}`);
    return error.problems;
  }
  assert.fail(`expected ${JSON.stringify(argv)} to be refused`);
}

/** Runs the generator's CLI in `cwd` as a user would. */
function runGenerator(argv: readonly string[], cwd: string) {
  return spawnSync(process.execPath, ['--import', TSX, join(ROOT, 'generate-compose.ts'), ...argv], {
    cwd,
    encoding: 'utf8',
  });
}

// ---------------------------------------------------------------------------------------------

describe('generate-compose arguments', () => {
  it('reads the seed example: 10 generals, traitors 3,4,7 playing the default strategy', () => {
    const request = parseGenerateComposeArgs(['10', '3,4,7']);
    assert.deepEqual(request, {
      kind: 'generate',
      out: 'compose.yaml',
      options: {
        generals: 10,
        traitors: [
          { id: 3, strategy: 'equivocate' },
          { id: 4, strategy: 'equivocate' },
          { id: 7, strategy: 'equivocate' },
        ],
        roundTimeoutMs: 1000,
        image: 'byzantine-generals:latest',
        auth: true,
      },
    });
  });

  it('reads --no-auth, a switch without a value, anywhere on the line', () => {
    assert.equal(optionsOf(['4', '1']).auth, true);
    assert.equal(optionsOf(['4', '1', '--no-auth']).auth, false);
    assert.equal(optionsOf(['--no-auth', '4', '1', '--out', 'x.yaml']).auth, false);
  });

  it('reads per-traitor strategies, --strategy for the rest, and sorts by id', () => {
    const options = optionsOf(['7', '5,2:flip,4:random:42,6:silent', '--strategy', 'loyal']);
    assert.deepEqual(options.traitors, [
      { id: 2, strategy: 'flip' },
      { id: 4, strategy: 'random:42' },
      { id: 5, strategy: 'loyal' },
      { id: 6, strategy: 'silent' },
    ]);
  });

  it('accepts no traitors as an empty string or none', () => {
    assert.deepEqual(optionsOf(['4', '']).traitors, []);
    assert.deepEqual(optionsOf(['4', 'none']).traitors, []);
  });

  it('reads --round-timeout, --image and --out, with or without =', () => {
    const request = parseGenerateComposeArgs([
      '7',
      '2,5',
      '--round-timeout=500',
      '--image',
      'registry.example/byz:test',
      '--out',
      'x/c.yaml',
    ]);
    assert.equal(request.kind, 'generate');
    if (request.kind !== 'generate') return;
    assert.equal(request.options.roundTimeoutMs, 500);
    assert.equal(request.options.image, 'registry.example/byz:test');
    assert.equal(request.out, 'x/c.yaml');
  });

  it('answers --help anywhere on the line', () => {
    assert.deepEqual(parseGenerateComposeArgs(['--help']), { kind: 'help' });
    assert.deepEqual(parseGenerateComposeArgs(['10', 'bad', '-h']), { kind: 'help' });
  });

  const refusals: readonly (readonly [string, readonly string[], RegExp])[] = [
    ['N below 2', ['1', 'none'], /N '1' .*at least 2/],
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
    ['empty out', ['10', '3', '--out', ''], /--out is empty/],
    ['option without value', ['10', '3', '--out'], /--out needs a value/],
    ['option twice', ['10', '3', '--image', 'a', '--image', 'b'], /--image is given more than once/],
    ['unknown option', ['10', '3', '--traitors', '3'], /unknown option '--traitors'.*--no-auth/],
    ['--no-auth with a value', ['10', '3', '--no-auth=yes'], /--no-auth takes no value/],
    ['--no-auth twice', ['10', '3', '--no-auth', '--no-auth'], /--no-auth is given more than once/],
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
    const problems = problemsOf(['1', '0,0', '--strategy', 'nope']);
    assert.ok(problems.some((p) => /N '1'/.test(p)));
    assert.ok(problems.some((p) => /--strategy: unknown strategy 'nope'/.test(p)));
  });

  it('does not check N > 3t: t is the client flag, and the file only notes the bound and SM', () => {
    const options = optionsOf(['4', '1,2']);
    assert.equal(options.traitors.length, 2);
    const text = renderCompose(options);
    assert.match(text, /# Note: 4 generals cannot tolerate 2 traitors with oral messages/);
    assert.match(text, /--allow-unsafe, or --algorithm sm/);
    assert.doesNotMatch(renderCompose(optionsOf(['4', '1'])), /# Note:/);
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
    assert.match(result.stdout, /Usage: npx tsx generate-compose.ts N TRAITORS/);
    for (const option of ['--strategy', '--round-timeout', '--image', '--out', '--no-auth', '--help']) {
      assert.match(result.stdout, new RegExp(`^ {2}(-h, )?${option}\\b`, 'm'), `--help describes ${option}`);
    }
    // What a user needs to know about the keys, and the SM alternative to OM's bound.
    for (const topic of [/keys\/private/, /0600/, /secret/, /rotate/, /export UID GID/, /--algorithm sm/]) {
      assert.match(result.stdout, topic);
    }
    assert.deepEqual(readdirSync(cwd), []);
  });

  it('writes the file and a logs directory beside it', () => {
    const cwd = mkdtempSync(join(work, 'good-'));
    const result = runGenerator(['7', '2,5', '--out', 'cluster/compose.yaml'], cwd);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Wrote cluster\/compose.yaml: 7 generals/);
    assert.match(result.stdout, /docker compose run client --order ATTACK --t 2/);
    const written = readFileSync(join(cwd, 'cluster', 'compose.yaml'), 'utf8');
    assert.equal(written, renderCompose(optionsOf(['7', '2,5'])));
    // Sticky and writable by all, like /tmp: the generals can write whatever uid they run as.
    assert.equal(statSync(join(cwd, 'cluster', 'logs')).mode & 0o7777, 0o1777);
  });

  it('makes a CA, a key per general and one for the client, and a certificate for each: keys 0600', () => {
    const cwd = mkdtempSync(join(work, 'keys-'));
    const result = runGenerator(['4', '1', '--out', 'cluster/compose.yaml'], cwd);
    assert.equal(result.status, 0, result.stderr);
    const names = ['general_0', 'general_1', 'general_2', 'general_3', 'client'];
    assert.match(result.stdout, new RegExp(`created ${names.join(', ')}; kept none; a new cluster CA`));
    const keys = join(cwd, 'cluster', 'keys');
    assert.deepEqual(readdirSync(join(keys, 'private')).sort(), names.map((name) => `${name}.pem`).sort());
    assert.deepEqual(
      readdirSync(join(keys, 'public')).sort(),
      [...names.map((name) => `${name}.pem`), 'ca.pem', 'certs.pem'].sort(),
    );
    assert.equal(statSync(join(keys, 'private')).mode & 0o777, 0o700);
    assert.equal(statSync(join(keys, 'ca', 'ca-key.pem')).mode & 0o777, 0o600);
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
    assert.match(written, /file: "\.\/keys\/private\/general_0\.pem"/);
  });

  it('keeps existing keys on a rerun and adds only the missing ones', () => {
    const cwd = mkdtempSync(join(work, 'rerun-'));
    assert.equal(runGenerator(['4', '1'], cwd).status, 0);
    const keyOf = (name: string) => readFileSync(join(cwd, 'keys', 'private', `${name}.pem`), 'utf8');
    const before = keyOf('general_2');
    const rerun = runGenerator(['5', '1'], cwd);
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.match(
      rerun.stdout,
      /created general_4; kept general_0, general_1, general_2, general_3, client; the existing cluster CA/,
    );
    assert.equal(keyOf('general_2'), before, 'a kept key is not rewritten');
    assert.equal(statSync(join(cwd, 'keys', 'private', 'general_4.pem')).mode & 0o777, 0o600);
  });

  it('--no-auth makes no keys and turns authentication off everywhere', () => {
    const cwd = mkdtempSync(join(work, 'noauth-'));
    const result = runGenerator(['4', '1', '--no-auth'], cwd);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(readdirSync(cwd).sort(), ['compose.yaml', 'logs']);
    assert.doesNotMatch(result.stdout, /Keys in/);
    assert.equal(
      readFileSync(join(cwd, 'compose.yaml'), 'utf8'),
      renderCompose(optionsOf(['4', '1', '--no-auth'])),
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
  });
});

describe('compose.yaml', () => {
  it('is a pure function of the arguments: the same bytes every time, whatever the traitor order', () => {
    const first = renderCompose(optionsOf(['10', '3,4,7']));
    assert.equal(renderCompose(optionsOf(['10', '3,4,7'])), first);
    assert.equal(renderCompose(optionsOf(['10', '7,3,4'])), first);
    assert.equal(renderCompose(optionsOf(['10', '3:equivocate,4,7', '--strategy', 'equivocate'])), first);
    assert.notEqual(renderCompose(optionsOf(['10', '3,4,8'])), first);
  });

  it('committed at the repository root is the output for the seed example (regenerate if this fails)', () => {
    const committed = readFileSync(join(ROOT, 'compose.yaml'), 'utf8');
    assert.equal(committed, renderCompose(optionsOf(['10', '3,4,7'])));
  });

  it('names the command that regenerates it', () => {
    assert.match(renderCompose(optionsOf(['10', '3,4,7'])), /^# {3}npx tsx generate-compose.ts 10 3,4,7$/m);
    assert.match(
      renderCompose(optionsOf(['7', '2,5:flip', '--strategy', 'silent', '--round-timeout', '500'])),
      /^# {3}npx tsx generate-compose.ts 7 2:silent,5:flip --round-timeout 500$/m,
    );
  });

  const options = optionsOf(['10', '3,4:flip,7:random:9']);
  const document = mappingAt(parseYamlSubset(renderCompose(options)), 'the file');
  const services = mappingAt(document.services, 'services');
  const generalNames = Array.from({ length: 10 }, (_, id) => `general-${id}`);
  const peers = generalNames.map((name) => `${name}:50051`).join(',');

  it('has one service per general and a client, a network and the key secrets, nothing else at the top', () => {
    assert.deepEqual(Object.keys(document), ['services', 'networks', 'secrets']);
    assert.deepEqual(Object.keys(services), [...generalNames, 'client']);
  });

  it('declares one secret per general and one for the client, each a file in ./keys/private', () => {
    const secrets = mappingAt(document.secrets, 'secrets');
    const expected: { [key: string]: Yaml } = {};
    for (let id = 0; id < 10; id++)
      expected[`general_${id}_key`] = { file: `./keys/private/general_${id}.pem` };
    expected.client_key = { file: './keys/private/client.pem' };
    assert.deepEqual(secrets, expected);
  });

  it("gives each general exactly its own private key and no other, and the cluster's certificates read-only", () => {
    for (const [id, name] of generalNames.entries()) {
      const general = mappingAt(services[name], name);
      assert.deepEqual(general.secrets, [`general_${id}_key`], `${name} holds only its own key`);
      const environment = mappingAt(general.environment, `${name}.environment`);
      assert.equal(environment.PRIVATE_KEY_FILE, `/run/secrets/general_${id}_key`);
      assert.equal(environment.CERTS_DIR, '/app/keys');
      assert.equal(environment.AUTH, undefined, 'authentication is on by default');
      assert.ok(
        Array.isArray(general.volumes) && general.volumes.includes('./keys/public:/app/keys:ro'),
        `${name} mounts ./keys/public read-only`,
      );
      // Nothing else from ./keys: no private directory, no other general's key.
      const keyMounts = (general.volumes as Yaml[]).filter((volume) => String(volume).includes('keys'));
      assert.deepEqual(keyMounts, ['./keys/public:/app/keys:ro']);
    }
  });

  it("gives the client only the client key and the cluster's certificates, run as the host user", () => {
    const client = mappingAt(services.client, 'client');
    assert.deepEqual(client.secrets, ['client_key']);
    const environment = mappingAt(client.environment, 'client.environment');
    assert.equal(environment.CLIENT_KEY_FILE, '/run/secrets/client_key');
    assert.equal(environment.CERTS_DIR, '/app/keys');
    assert.deepEqual(client.volumes, ['./keys/public:/app/keys:ro']);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation
    assert.equal(client.user, '${UID:-1000}:${GID:-1000}');
  });

  it('embeds no key material, only references to files', () => {
    const text = renderCompose(options);
    assert.doesNotMatch(text, /BEGIN|PRIVATE KEY|PUBLIC KEY/);
    assert.match(text, /^# .*\.\/keys/m, 'the header says where the keys are');
  });

  it('with --no-auth: AUTH=off in every service, no secrets, no key mounts', () => {
    const open = mappingAt(parseYamlSubset(renderCompose(optionsOf(['4', '1', '--no-auth']))), 'file');
    assert.deepEqual(Object.keys(open), ['services', 'networks']);
    for (const [name, service] of Object.entries(mappingAt(open.services, 'services'))) {
      const entry = mappingAt(service, name);
      const environment = mappingAt(entry.environment, `${name}.environment`);
      assert.equal(environment.AUTH, 'off', `${name} AUTH=off`);
      assert.equal(entry.secrets, undefined, `${name} has no secrets`);
      for (const key of ['PRIVATE_KEY_FILE', 'CERTS_DIR', 'CLIENT_KEY_FILE']) {
        assert.equal(environment[key], undefined, `${name} has no ${key}`);
      }
      if (name !== 'client') assert.deepEqual(entry.volumes, ['./logs:/app/logs']);
    }
    assert.match(
      renderCompose(optionsOf(['4', '1', '--no-auth'])),
      /^# {3}npx tsx generate-compose.ts 4 1 --no-auth$/m,
    );
  });

  it('configures every general only through its environment', () => {
    for (const [id, name] of generalNames.entries()) {
      const general = mappingAt(services[name], name);
      const environment = mappingAt(general.environment, `${name}.environment`);
      const traitor = { 3: 'equivocate', 4: 'flip', 7: 'random:9' }[id] ?? 'false';
      assert.deepEqual(environment, {
        ID: `${id}`,
        TRAITOR: traitor,
        PEERS: peers,
        PORT: '50051',
        ROUND_TIMEOUT_MS: '1000',
        LOG_DIR: '/app/logs',
        METRICS_PORT: '9464',
        PRIVATE_KEY_FILE: `/run/secrets/general_${id}_key`,
        CERTS_DIR: '/app/keys',
      });
      assert.deepEqual(general.command, ['general']);
      assert.equal(general.entrypoint, undefined, 'generals use the image entrypoint');
    }
  });

  it('runs every service from the one image, built from this directory', () => {
    for (const [name, service] of Object.entries(services)) {
      const entry = mappingAt(service, name);
      assert.equal(entry.image, COMPOSE_DEFAULTS.image);
      assert.equal(mappingAt(entry.build, `${name}.build`).context, '.');
    }
  });

  it('keeps ./logs on the host, mounted where LOG_DIR points, with the host user mapping', () => {
    for (const name of generalNames) {
      const general = mappingAt(services[name], name);
      assert.deepEqual(general.volumes, ['./logs:/app/logs', './keys/public:/app/keys:ro']);
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation
      assert.equal(general.user, '${UID:-1000}:${GID:-1000}');
    }
  });

  it('hardens every container and gives every general a restart policy and a healthcheck', () => {
    for (const [name, service] of Object.entries(services)) {
      const entry = mappingAt(service, name);
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
      const general = mappingAt(services[name], name);
      assert.ok(['on-failure', 'unless-stopped', 'always'].includes(String(general.restart)));
      const healthcheck = mappingAt(general.healthcheck, `${name}.healthcheck`);
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
    const client = mappingAt(services.client, 'client');
    assert.deepEqual(client.profiles, ['client']);
    assert.deepEqual(client.entrypoint, ['node', 'dist/src/cli.js', 'client']);
    assert.equal(client.command, undefined, 'run appends the flags as the command');
    assert.deepEqual(mappingAt(client.environment, 'client.environment'), {
      PEERS: peers,
      TRAITORS: '3:equivocate,4:flip,7:random:9',
      CLIENT_KEY_FILE: '/run/secrets/client_key',
      CERTS_DIR: '/app/keys',
    });
    assert.deepEqual(client.depends_on, generalNames);
    assert.equal(client.restart, undefined);
  });

  it('has one private network', () => {
    const networks = mappingAt(document.networks, 'networks');
    assert.deepEqual(networks, { byzantine: { driver: 'bridge' } });
  });

  it('carries --round-timeout and --image into every service', () => {
    const custom = mappingAt(
      parseYamlSubset(
        renderCompose(optionsOf(['4', 'none', '--round-timeout', '250', '--image', 'byz/test:e2e'])),
      ),
      'file',
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

describe('the YAML emitter', () => {
  it('quotes what YAML would otherwise read as something else, and round-trips it', () => {
    const tricky = {
      words: ['no', 'yes', 'on', 'off', 'true', 'null', '~'],
      numbers: ['50051', '1:20', '0x1f', '.inf', '1e3'],
      text: 'a: b',
      hash: 'x #y',
      empty: '',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation
      dollars: '${X:-1}',
      quote: 'say "hi"\n',
      plain: 'general-0:50051,general-1:50051',
      count: 3,
      flag: false,
      nothing: [],
      none: {},
    };
    const text = emitYaml(tricky);
    assert.match(text, /^plain: general-0:50051,general-1:50051$/m);
    assert.deepEqual(parseYamlSubset(text), tricky);
  });
});
