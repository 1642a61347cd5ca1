/**
 * Bad configuration: refused before anything starts, with one message naming every bad variable or
 * flag and what is expected, exit status 2. In process against the parsers of src/config/, then a
 * few cases through the CLI binary (exit status, stderr, --help on every command).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  ConfigError,
  parseClientConfig,
  parseGeneralEnv,
  parseRunConfig,
  parseTraitorEnv,
  parseTraitors,
} from '../src/config/config.js';
import type { RunResult } from '../src/run/result.js';
import { jsonOf, runCli, stopEverything, tempDir } from './support/process.js';

/** The problems of a ConfigError thrown by `parse`, or a failure saying it was accepted. */
function problemsOf(parse: () => unknown): readonly string[] {
  try {
    parse();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    // One message lists them all.
    for (const problem of error.problems) assert.ok(error.message.includes(problem));
    return error.problems;
  }
  assert.fail('the configuration was accepted');
}

/** Asserts that each pattern matches exactly one problem, and that there are no others. */
function assertProblems(problems: readonly string[], patterns: readonly RegExp[]): void {
  for (const pattern of patterns) {
    assert.equal(
      problems.filter((p) => pattern.test(p)).length,
      1,
      `one problem matching ${pattern} in:\n${problems.join('\n')}`,
    );
  }
  assert.equal(problems.length, patterns.length, `exactly these problems:\n${problems.join('\n')}`);
}

const PEERS4 = '127.0.0.1:50051,127.0.0.1:50052,127.0.0.1:50053,127.0.0.1:50054';
const seed = () => 42;

describe('local and simulate: --algorithm and --auth', () => {
  test('without --t, t is the most the algorithm tolerates: (n-1)/3 for OM, n-2 for SM', () => {
    assert.equal(parseRunConfig({ generals: '10' }).t, 3);
    assert.equal(parseRunConfig({ generals: '10', algorithm: 'sm' }).t, 8);
  });

  test('--auth is on by default, off on request, and nothing else', () => {
    assert.equal(parseRunConfig({ generals: '4' }).auth, true);
    assert.equal(parseRunConfig({ generals: '4', auth: 'off' }).auth, false);
    assertProblems(
      problemsOf(() => parseRunConfig({ generals: '4', auth: 'no thanks' })),
      [/^--auth: expected on or off/],
    );
  });
});

describe("a general's env (parseGeneralEnv)", () => {
  test('a good env', () => {
    const config = parseGeneralEnv(
      {
        ID: '2',
        PEERS: PEERS4,
        TRAITOR: 'flip',
        PORT: '50053',
        LOG_DIR: '/tmp/x',
        ROUND_TIMEOUT_MS: '250',
        PRIVATE_KEY_FILE: '/run/secrets/general_2_key',
        CERTS_DIR: '/app/keys',
      },
      seed,
    );
    assert.deepEqual(config.auth, {
      mode: 'on',
      keyFile: '/run/secrets/general_2_key',
      certsDir: '/app/keys',
    });
    assert.equal(config.peerCalls, 'stream');
    assert.equal(config.id, 2);
    assert.equal(config.peers.length, 4);
    assert.deepEqual(config.peers[3], { host: '127.0.0.1', port: 50054 });
    assert.deepEqual(config.strategy, { kind: 'flip' });
    assert.equal(config.port, 50053);
    assert.equal(config.roundTimeoutMs, 250);
  });

  test('defaults: PORT 50051, LOG_DIR ./logs, loyal', () => {
    const config = parseGeneralEnv({ AUTH: 'off', ID: '0', PEERS: 'a:1,b:2' }, seed);
    assert.equal(config.port, 50051);
    assert.equal(config.logDir, './logs');
    assert.deepEqual(config.strategy, { kind: 'loyal' });
  });

  test('TRAITOR: true is equivocate, false/empty loyal, random:SEED kept', () => {
    assert.deepEqual(parseTraitorEnv('true'), { kind: 'equivocate' });
    assert.deepEqual(parseTraitorEnv('false'), { kind: 'loyal' });
    assert.deepEqual(parseTraitorEnv(''), { kind: 'loyal' });
    assert.deepEqual(parseTraitorEnv('silent'), { kind: 'silent' });
    assert.deepEqual(parseTraitorEnv('random:7'), { kind: 'random', seed: 7 });
  });

  test('ID out of range for PEERS: the range is explained', () => {
    assertProblems(
      problemsOf(() => parseGeneralEnv({ AUTH: 'off', ID: '4', PEERS: PEERS4 })),
      [/^ID: 4 is out of range: PEERS lists 4 generals, so ID must be 0\.\.3$/],
    );
  });

  test('malformed PEERS: each bad entry named', () => {
    assertProblems(
      problemsOf(() => parseGeneralEnv({ AUTH: 'off', ID: '0', PEERS: 'a:1,nocolon,b:99999' })),
      [/^PEERS: "nocolon" is not host:port/, /^PEERS: "b:99999" is not host:port/],
    );
    assertProblems(
      problemsOf(() => parseGeneralEnv({ AUTH: 'off', ID: '0', PEERS: 'a:1' })),
      [/^PEERS: needs at least 2 generals/],
    );
  });

  test('unknown TRAITOR strategy: the known ones listed', () => {
    assertProblems(
      problemsOf(() => parseGeneralEnv({ AUTH: 'off', ID: '1', PEERS: PEERS4, TRAITOR: 'sneaky' })),
      [/^TRAITOR: unknown strategy "sneaky": expected loyal, equivocate, flip, silent or random/],
    );
  });

  test('missing ID and PEERS: both required', () => {
    assertProblems(
      problemsOf(() => parseGeneralEnv({ AUTH: 'off' })),
      [/^ID: is required$/, /^PEERS: is required$/],
    );
  });

  test('three problems at once: ID out of range, bad PORT, unknown TRAITOR', () => {
    assertProblems(
      problemsOf(() =>
        parseGeneralEnv({ AUTH: 'off', ID: '9', PEERS: PEERS4, PORT: 'http', TRAITOR: 'sneaky' }),
      ),
      [/^ID: 9 is out of range/, /^PORT: expected the port to listen on/, /^TRAITOR: unknown strategy/],
    );
  });
});

describe("a general's TRAITOR_FILE (its TRAITOR value from a file, as a Kubernetes pod mounts it)", () => {
  const files = new Map([
    ['/etc/byzantine/flip', 'flip\n'],
    ['/etc/byzantine/loyal', 'false\n'],
    ['/etc/byzantine/random', ' random:7 '],
    ['/etc/byzantine/sneaky', 'sneaky\n'],
    ['/etc/byzantine/long', 'x'.repeat(65)],
  ]);
  const readText = (path: string): string => {
    const text = files.get(path);
    if (text === undefined) throw Object.assign(new Error(`no such file ${path}`), { code: 'ENOENT' });
    return text;
  };
  const parse = (env: NodeJS.ProcessEnv) =>
    parseGeneralEnv({ AUTH: 'off', ID: '3', PEERS: PEERS4, ...env }, seed, readText);

  test('the file holds what TRAITOR would: a strategy, false, random:SEED; blanks around it ignored', () => {
    assert.deepEqual(parse({ TRAITOR_FILE: '/etc/byzantine/flip' }).strategy, { kind: 'flip' });
    assert.deepEqual(parse({ TRAITOR_FILE: '/etc/byzantine/loyal' }).strategy, { kind: 'loyal' });
    assert.deepEqual(parse({ TRAITOR_FILE: '/etc/byzantine/random' }).strategy, { kind: 'random', seed: 7 });
  });

  test('an empty TRAITOR_FILE is unset: TRAITOR applies', () => {
    assert.deepEqual(parse({ TRAITOR_FILE: ' ', TRAITOR: 'silent' }).strategy, { kind: 'silent' });
  });

  test('reads a real file by default', () => {
    const dir = tempDir('traitor-file');
    try {
      const path = join(dir.path, 'traitor');
      writeFileSync(path, 'equivocate\n');
      const config = parseGeneralEnv({ AUTH: 'off', ID: '1', PEERS: PEERS4, TRAITOR_FILE: path }, seed);
      assert.deepEqual(config.strategy, { kind: 'equivocate' });
    } finally {
      dir.remove();
    }
  });

  test('refused: both TRAITOR and TRAITOR_FILE, a missing file, an unknown strategy, an overlong file', () => {
    assertProblems(
      problemsOf(() => parse({ TRAITOR: 'flip', TRAITOR_FILE: '/etc/byzantine/flip' })),
      [/^TRAITOR_FILE: set together with TRAITOR; give one/],
    );
    assertProblems(
      problemsOf(() => parse({ TRAITOR_FILE: '/etc/byzantine/none' })),
      [/^TRAITOR_FILE: cannot read "\/etc\/byzantine\/none" \(ENOENT\)/],
    );
    assertProblems(
      problemsOf(() => parse({ TRAITOR_FILE: '/etc/byzantine/sneaky' })),
      [/^TRAITOR_FILE \("\/etc\/byzantine\/sneaky"\): unknown strategy "sneaky"/],
    );
    assertProblems(
      problemsOf(() => parse({ TRAITOR_FILE: '/etc/byzantine/long' })),
      [/^TRAITOR_FILE: "\/etc\/byzantine\/long" holds 65 characters; expected a TRAITOR value/],
    );
  });

  test('named with the other problems at once', () => {
    assertProblems(
      problemsOf(() => parse({ ID: '9', TRAITOR_FILE: '/etc/byzantine/sneaky' })),
      [/^ID: 9 is out of range/, /^TRAITOR_FILE \("\/etc\/byzantine\/sneaky"\): unknown strategy/],
    );
  });
});

describe("a general's credentials (AUTH, PRIVATE_KEY_FILE, CERTS_DIR)", () => {
  test('no credentials and AUTH unset: refused, both variables named with AUTH=off as the way out', () => {
    const problems = problemsOf(() => parseGeneralEnv({ ID: '1', PEERS: PEERS4 }));
    assertProblems(problems, [/^PRIVATE_KEY_FILE: is required/, /^CERTS_DIR: is required/]);
    for (const problem of problems) assert.match(problem, /AUTH=off/);
  });

  test('PUBLIC_KEYS_DIR from before mutual TLS: CERTS_DIR is asked for, saying the old one is not read', () => {
    const problems = problemsOf(() =>
      parseGeneralEnv({ ID: '1', PEERS: PEERS4, PRIVATE_KEY_FILE: 'k.pem', PUBLIC_KEYS_DIR: '/app/keys' }),
    );
    assertProblems(problems, [/^CERTS_DIR: is required: .*PUBLIC_KEYS_DIR is no longer read/]);
  });

  test('PEER_CALLS: stream by default, unary on request, nothing else', () => {
    const env = { ID: '1', PEERS: PEERS4, AUTH: 'off' };
    assert.equal(parseGeneralEnv({ ...env, PEER_CALLS: 'unary' }).peerCalls, 'unary');
    assertProblems(
      problemsOf(() => parseGeneralEnv({ ...env, PEER_CALLS: 'pigeon' })),
      [/^PEER_CALLS: expected stream or unary/],
    );
  });

  test('LOG_FORMAT, LOG_LEVEL and METRICS_PORT: text, info and no endpoint by default', () => {
    const config = parseGeneralEnv({ ID: '1', PEERS: PEERS4, AUTH: 'off' });
    assert.equal(config.logFormat, 'text');
    assert.equal(config.logLevel, 'info');
    assert.equal(config.metricsPort, undefined);
    const chosen = parseGeneralEnv({
      ID: '1',
      PEERS: PEERS4,
      AUTH: 'off',
      LOG_FORMAT: ' JSON ',
      LOG_LEVEL: 'Warn',
      METRICS_PORT: '9464',
    });
    assert.deepEqual([chosen.logFormat, chosen.logLevel, chosen.metricsPort], ['json', 'warn', 9464]);
    assert.equal(
      parseGeneralEnv({ ID: '1', PEERS: PEERS4, AUTH: 'off', METRICS_PORT: '' }).metricsPort,
      undefined,
    );
    assert.equal(parseGeneralEnv({ ID: '1', PEERS: PEERS4, AUTH: 'off', METRICS_PORT: '0' }).metricsPort, 0);
  });

  test('a bad LOG_FORMAT, LOG_LEVEL and METRICS_PORT: all three named at once', () => {
    assertProblems(
      problemsOf(() =>
        parseGeneralEnv({
          ID: '1',
          PEERS: PEERS4,
          AUTH: 'off',
          LOG_FORMAT: 'xml',
          LOG_LEVEL: 'loud',
          METRICS_PORT: '70000',
        }),
      ),
      [
        /^LOG_FORMAT: expected text or json$/,
        /^LOG_LEVEL: expected debug, info, warn, error or silent$/,
        /^METRICS_PORT: expected the port of the Prometheus endpoint \(0 picks a free one\), an integer 0\.\.65535$/,
      ],
    );
  });

  test('METRICS_PORT may not be PORT', () => {
    assertProblems(
      problemsOf(() =>
        parseGeneralEnv({ ID: '1', PEERS: PEERS4, AUTH: 'off', PORT: '50052', METRICS_PORT: '50052' }),
      ),
      [/^METRICS_PORT: 50052 is PORT too: the metrics endpoint needs a port of its own$/],
    );
  });

  test('AUTH=off needs no keys, and says so in the config', () => {
    assert.deepEqual(parseGeneralEnv({ ID: '1', PEERS: PEERS4, AUTH: 'OFF' }).auth, { mode: 'off' });
  });

  test('AUTH must be on or off', () => {
    assertProblems(
      problemsOf(() => parseGeneralEnv({ ID: '1', PEERS: PEERS4, AUTH: 'maybe' })),
      [/^AUTH: expected on or off/],
    );
  });
});

describe('the client flags (parseClientConfig)', () => {
  test('without --key and --certs (or CLIENT_KEY_FILE and CERTS_DIR): refused, unless --auth off', () => {
    const flags = { order: 'ATTACK', t: '1', peers: PEERS4 };
    assertProblems(
      problemsOf(() => parseClientConfig(flags, {})),
      [
        /^--key \(or CLIENT_KEY_FILE\): is required.*--auth off/,
        /^--certs \(or CERTS_DIR\): is required.*--auth off/,
      ],
    );
    assert.deepEqual(parseClientConfig({ ...flags, auth: 'off' }, {}).auth, { mode: 'off' });
    assert.deepEqual(parseClientConfig(flags, { AUTH: 'off' }).auth, { mode: 'off' });
    assert.deepEqual(parseClientConfig({ ...flags, key: 'k.pem' }, { CERTS_DIR: 'keys/public' }).auth, {
      mode: 'on',
      keyFile: 'k.pem',
      certsDir: 'keys/public',
    });
  });

  test('--algorithm sm: n=4, t=2 is accepted; the same run under OM is refused pointing at sm', () => {
    const flags = {
      order: 'ATTACK',
      t: '2',
      peers: PEERS4,
      key: 'keys/private/client.pem',
      certs: 'keys/public',
    };
    const sm = parseClientConfig({ ...flags, algorithm: 'SM' }, {});
    assert.equal(sm.algorithm, 'sm');
    assert.equal(sm.t, 2);
    assertProblems(
      problemsOf(() => parseClientConfig({ ...flags, algorithm: 'sm', auth: 'off' }, {})),
      [/^--auth: off cannot run --algorithm sm/],
    );
    assertProblems(
      problemsOf(() => parseClientConfig(flags, {})),
      [/^--t: .*needs n > 3t.*--algorithm sm/],
    );
    assertProblems(
      problemsOf(() => parseClientConfig({ ...flags, t: '3', algorithm: 'sm' }, {})),
      [/^--t: 3 is too deep for 4 generals: t must be at most n-2=2/],
    );
    assertProblems(
      problemsOf(() => parseClientConfig({ ...flags, algorithm: 'dolev-strong' }, {})),
      [/^--algorithm: expected om, sm or king$/],
    );
  });

  test('good flags, peers and traitors from env', () => {
    const config = parseClientConfig(
      { order: 'attack', t: '1' },
      {
        PEERS: PEERS4,
        TRAITORS: '2:flip',
        CLIENT_KEY_FILE: 'keys/private/client.pem',
        CERTS_DIR: 'keys/public',
      },
      seed,
    );
    assert.equal(config.n, 4);
    assert.equal(config.t, 1);
    assert.equal(config.order, 'ATTACK');
    assert.deepEqual([...config.roster], [[2, { kind: 'flip' }]]);
  });

  test('missing --order and --t: both named', () => {
    assertProblems(
      problemsOf(() => parseClientConfig({ auth: 'off', peers: PEERS4 }, {})),
      [/^--order: is required$/, /^--t: is required$/],
    );
  });

  test('no peers anywhere: --peers (or PEERS) named', () => {
    assertProblems(
      problemsOf(() => parseClientConfig({ auth: 'off', order: 'ATTACK', t: '1' }, {})),
      [/^--peers \(or PEERS\): is required$/],
    );
  });

  test('n <= 3t: refused with the bound explained; accepted with allowUnsafe', () => {
    const flags = { order: 'ATTACK', t: '1', peers: 'a:1,b:2,c:3', auth: 'off' };
    assertProblems(
      problemsOf(() => parseClientConfig(flags, {})),
      [/^--t: .*needs n > 3t/],
    );
    assert.equal(parseClientConfig({ ...flags, allowUnsafe: true }, {}).t, 1);
  });

  test('three problems at once: a bad order, a traitor out of range, n <= 3t', () => {
    // Every one of these is wrong on its own; the user should learn of all three from one try.
    assertProblems(
      problemsOf(() =>
        parseClientConfig({ auth: 'off', order: 'SIDEWAYS', t: '2', peers: PEERS4, traitors: '9' }, {}, seed),
      ),
      [/^--order: expected ATTACK or RETREAT$/, /general 9 is out of range/, /^--t: .*needs n > 3t/],
    );
  });
});

describe('local and simulate flags (parseRunConfig)', () => {
  test('OM deeper than a general can hold is refused, naming the count; without --t, t stays holdable', () => {
    // Values per lieutenant: 1 + 17 + 17·16 + 17·16·15 + 17·16·15·14 + 17·16·15·14·13 (+ ·12 for t=6).
    const at5 = 1 + 17 + 17 * 16 + 17 * 16 * 15 + 17 * 16 * 15 * 14 + 17 * 16 * 15 * 14 * 13;
    const at6 = at5 + 17 * 16 * 15 * 14 * 13 * 12;
    assert.deepEqual([at5, at6], [804_050, 9_714_770]);
    assertProblems(
      problemsOf(() => parseRunConfig({ generals: '19', t: '6' })),
      [
        /^--t: OM\(6\) among 19 generals means 9,714,770 values per lieutenant.*at most 1,000,000.*--algorithm king/,
      ],
    );
    assert.equal(parseRunConfig({ generals: '19' }).t, 5, 'the most that 19 generals tolerate and hold');
    assert.equal(parseRunConfig({ generals: '19', algorithm: 'king' }).t, 6, 'King holds no tree');
  });

  test('the seed example', () => {
    const config = parseRunConfig({ generals: '10', traitors: '3,4,7', order: 'ATTACK', t: '3' }, seed);
    assert.equal(config.n, 10);
    assert.equal(config.t, 3);
    assert.deepEqual([...config.roster.keys()], [3, 4, 7]);
    for (const s of config.roster.values()) assert.deepEqual(s, { kind: 'equivocate' });
  });

  test('without --t, t is the most n tolerates', () => {
    assert.equal(parseRunConfig({ generals: '10' }).t, 3);
    assert.equal(parseRunConfig({ generals: '7' }).t, 2);
  });

  test('strategies by id, random with a drawn seed', () => {
    const config = parseRunConfig({ generals: '7', t: '2', traitors: '3:flip,4:silent,5:random' }, seed);
    assert.deepEqual(
      [...config.roster],
      [
        [3, { kind: 'flip' }],
        [4, { kind: 'silent' }],
        [5, { kind: 'random', seed: 42 }],
      ],
    );
  });

  test('n <= 3t: refused with the bound explained', () => {
    const [problem] = assertOne(problemsOf(() => parseRunConfig({ generals: '6', t: '2' })));
    assert.match(problem, /^--t: n=6 generals cannot tolerate t=2 traitors/);
    assert.match(problem, /needs n > 3t \(here 3t=6\)/);
    assert.match(problem, /Use t <= 1/);
    assert.match(problem, /--allow-unsafe/);
  });

  test('n <= 3t with --allow-unsafe: accepted', () => {
    const config = parseRunConfig({ generals: '6', t: '2', allowUnsafe: true });
    assert.equal(config.n, 6);
    assert.equal(config.t, 2);
    assert.equal(config.allowUnsafe, true);
  });

  test('unknown strategy, a repeated traitor and one out of range: three problems', () => {
    assertProblems(
      problemsOf(() => parseRunConfig({ generals: '7', t: '2', traitors: '2:sneaky,3,3,9' })),
      [
        /^--traitors: general 2: unknown strategy "sneaky"/,
        /^--traitors: general 3 is listed twice$/,
        /^--traitors: general 9 is out of range: ids are 0\.\.6$/,
      ],
    );
  });

  test('a repeated traitor is named even when its first listing has a bad strategy', () => {
    assertProblems(
      problemsOf(() => parseRunConfig({ generals: '7', t: '2', traitors: '2:sneaky,2' })),
      [/^--traitors: general 2: unknown strategy "sneaky"/, /^--traitors: general 2 is listed twice$/],
    );
  });

  test('three problems at once: a bad order, a traitor out of range, n <= 3t', () => {
    assertProblems(
      problemsOf(() => parseRunConfig({ generals: '4', t: '2', order: 'SIDEWAYS', traitors: '9' })),
      [/^--order: expected ATTACK or RETREAT$/, /^--traitors: general 9 is out of range/, /^--t: .*n > 3t/],
    );
  });

  test('out-of-range numbers name the flag and the range', () => {
    assertProblems(
      problemsOf(() => parseRunConfig({ generals: '1', roundTimeout: '0', basePort: '80' })),
      [
        /^--generals: expected the number of generals, an integer 2\.\.200$/,
        /^--round-timeout: expected the round deadline in ms/,
        /^--base-port: expected the first port, an integer 1024\.\.65000$/,
      ],
    );
  });

  test('parseTraitors alone: none, and garbage', () => {
    assert.equal(parseTraitors('none').roster.size, 0);
    assert.equal(parseTraitors('').roster.size, 0);
    assert.deepEqual(parseTraitors('x,3').problems, [
      '"x": expected a general id (an integer), optionally :strategy',
    ]);
  });
});

function assertOne(problems: readonly string[]): [string] {
  assert.equal(problems.length, 1, problems.join('\n'));
  return [problems[0] ?? ''];
}

// ---------------------------------------------------------------------------------------------
// Through the binary. Each case starts one short-lived process; they run concurrently.

describe('the CLI', { concurrency: true }, () => {
  const cwd = tempDir('config-cwd'); // no .env, no ./logs of the repository
  after(async () => {
    await stopEverything();
    cwd.remove();
  });
  const cli = (args: string[], env: Record<string, string> = {}) =>
    runCli(args, { env, cwd: cwd.path, timeoutMs: 60_000 });

  for (const command of ['general', 'client', 'local', 'simulate']) {
    test(`${command} --help: exit 0, usage on stdout`, async () => {
      const run = await cli([command, '--help']);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`^usage: byzantine ${command}`));
      assert.equal(run.stderr, '');
    });
  }

  test('--help: exit 0, every command listed', async () => {
    const run = await cli(['--help']);
    assert.equal(run.code, 0, run.stderr);
    for (const command of ['general', 'client', 'local', 'simulate']) {
      assert.match(run.stdout, new RegExp(`^  ${command} `, 'm'));
    }
  });

  test('an unknown command: exit 2', async () => {
    const run = await cli(['attack']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown command "attack"/);
  });

  test('general with three bad variables: exit 2, all three named, nothing started', async () => {
    const run = await cli(['general'], { ID: '9', PEERS: PEERS4, PORT: 'http', TRAITOR: 'sneaky' });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^ {2}- ID: 9 is out of range/m);
    assert.match(run.stderr, /^ {2}- PORT: /m);
    assert.match(run.stderr, /^ {2}- TRAITOR: unknown strategy "sneaky"/m);
    assert.doesNotMatch(run.stdout, /listening/);
  });

  test('client without --order and --t: exit 2, both named', async () => {
    const run = await cli(['client', '--peers', PEERS4]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--order: is required/);
    assert.match(run.stderr, /--t: is required/);
  });

  test('local with n <= 3t: exit 2, the bound explained', async () => {
    const run = await cli(['local', '--generals', '6', '--t', '2', '--log-dir', cwd.path]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /OM\(t\) needs n > 3t \(here 3t=6\)/);
    assert.match(run.stderr, /--allow-unsafe/);
  });

  test('simulate with n <= 3t and --allow-unsafe: runs and reports it', async () => {
    const run = await cli(['simulate', '--generals', '6', '--t', '2', '--allow-unsafe', '--json']);
    assert.notEqual(run.code, 2, run.stderr);
    const result = jsonOf<RunResult>(run);
    assert.equal(result.unsafe, true);
    assert.equal(result.n, 6);
    assert.equal(result.t, 2);
  });

  test('local with an unknown flag: exit 2, the flag named', async () => {
    const run = await cli(['local', '--generals', '4', '--bogus', '1', '--log-dir', cwd.path]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--bogus: unknown flag/);
  });

  test('local with traitors repeated and out of range: exit 2, both named', async () => {
    const run = await cli([
      'local',
      '--generals',
      '7',
      '--t',
      '2',
      '--traitors',
      '3,3,9',
      '--log-dir',
      cwd.path,
    ]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /general 3 is listed twice/);
    assert.match(run.stderr, /general 9 is out of range: ids are 0\.\.6/);
  });

  test('an unknown flag does not hide the other problems: exit 2, all named', async () => {
    const run = await cli(['simulate', '--bogus', '--order', 'SIDEWAYS', '--generals', '4', '--t', '1']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--bogus: unknown flag/);
    assert.match(run.stderr, /--order: expected ATTACK or RETREAT/);
  });
});
