/**
 * The Swarm target: stack.yaml as `docker stack deploy` reads it. Each general one service with the
 * compose file's image and env, its own private key as a secret no other service names, the public
 * certificates as configs, dnsrr on an attachable overlay, and a client that runs once.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderCompose } from '../../src/deploy/compose.js';
import { renderSwarm } from '../../src/deploy/swarm.js';
import { clusterOf, mappingAt, readYaml, runGenerator, sequenceAt, type YamlMap } from './support.js';

const argv = ['10', '3,4:flip,7:random:9'];
const stack = readYaml(renderSwarm(clusterOf(argv)));
const services = mappingAt(stack.services, 'services');
const generalNames = Array.from({ length: 10 }, (_, id) => `general-${id}`);
const serviceAt = (name: string): YamlMap => mappingAt(services[name], name);
const deployOf = (name: string): YamlMap => mappingAt(serviceAt(name).deploy, `${name}.deploy`);

/** Keys `docker stack deploy` ignores (it warns "Ignoring unsupported options") or refuses. */
const NOT_FOR_SWARM = [
  'build',
  'restart',
  'depends_on',
  'mem_limit',
  'security_opt',
  'profiles',
  'container_name',
  'links',
];

describe('stack.yaml', () => {
  it('is a stack file in the format the docker CLI of engine 20.10 reads: services, network, volume, secrets, configs', () => {
    assert.equal(stack.version, '3.9');
    assert.deepEqual(Object.keys(stack), [
      'version',
      'services',
      'networks',
      'volumes',
      'secrets',
      'configs',
    ]);
    assert.deepEqual(Object.keys(services), [...generalNames, 'client']);
  });

  it('is a pure function of the arguments', () => {
    const first = renderSwarm(clusterOf(argv));
    assert.equal(renderSwarm(clusterOf(['10', '7:random:9,4:flip,3'])), first);
    assert.notEqual(renderSwarm(clusterOf(['10', '3,4:flip,8:random:9'])), first);
    assert.match(first, /^# {3}npx tsx generate-compose.ts 10 3,4:flip,7:random:9 --swarm$/m);
  });

  it('runs each general with the same image, command and environment as compose.yaml', () => {
    const compose = mappingAt(readYaml(renderCompose(clusterOf(argv))).services, 'compose services');
    for (const name of generalNames) {
      const composed = mappingAt(compose[name], `compose ${name}`);
      assert.equal(serviceAt(name).image, composed.image);
      assert.deepEqual(serviceAt(name).command, composed.command);
      assert.deepEqual(serviceAt(name).environment, composed.environment, `${name}'s env`);
    }
  });

  it("gives each general its own private key and no other: a secret only that general's service names", () => {
    const secrets = mappingAt(stack.secrets, 'secrets');
    for (const [id, name] of generalNames.entries()) {
      assert.deepEqual(serviceAt(name).secrets, [
        { source: `general_${id}_key`, target: `general_${id}_key`, uid: '1000', gid: '1000', mode: 0o400 },
      ]);
      assert.deepEqual(secrets[`general_${id}_key`], { file: `./keys/private/general_${id}.pem` });
      const environment = mappingAt(serviceAt(name).environment, name);
      assert.equal(environment.PRIVATE_KEY_FILE, `/run/secrets/general_${id}_key`);
      // Every other service leaves this secret alone.
      const holders = Object.entries(services).filter(([, service]) =>
        JSON.stringify(mappingAt(service, 'service').secrets ?? []).includes(`"general_${id}_key"`),
      );
      assert.deepEqual(
        holders.map(([holder]) => holder),
        [name],
      );
    }
    assert.deepEqual(secrets.client_key, { file: './keys/private/client.pem' });
    assert.equal(Object.keys(secrets).length, 11);
  });

  it('gives every general and the client ca.pem and certs.pem, as configs in CERTS_DIR', () => {
    assert.deepEqual(stack.configs, {
      ca_pem: { file: './keys/public/ca.pem' },
      certs_pem: { file: './keys/public/certs.pem' },
    });
    for (const name of [...generalNames, 'client']) {
      assert.deepEqual(serviceAt(name).configs, [
        { source: 'ca_pem', target: '/app/certs/ca.pem', mode: 0o444 },
        { source: 'certs_pem', target: '/app/certs/certs.pem', mode: 0o444 },
      ]);
      assert.equal(mappingAt(serviceAt(name).environment, name).CERTS_DIR, '/app/certs');
    }
  });

  it('puts the generals on an attachable overlay network, reached by name without a virtual IP', () => {
    assert.deepEqual(stack.networks, { byzantine: { driver: 'overlay', attachable: true } });
    for (const name of [...generalNames, 'client']) {
      assert.deepEqual(serviceAt(name).networks, ['byzantine']);
      assert.equal(deployOf(name).endpoint_mode, 'dnsrr', `${name} dnsrr`);
      assert.equal(serviceAt(name).ports, undefined, `${name} publishes nothing`);
    }
  });

  it('labels each general for Prometheus, whose Swarm discovery reaches METRICS_PORT on the overlay', () => {
    for (const name of generalNames) {
      assert.equal(mappingAt(serviceAt(name).environment, name).METRICS_PORT, '9464');
      assert.deepEqual(serviceAt(name).labels, {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '9464',
        'prometheus.io/path': '/metrics',
      });
    }
  });

  it('keeps every general at one replica, restarted on failure, with memory reserved and limited', () => {
    for (const name of generalNames) {
      const deploy = deployOf(name);
      assert.equal(deploy.replicas, 1);
      assert.equal(mappingAt(deploy.restart_policy, 'restart_policy').condition, 'on-failure');
      const resources = mappingAt(deploy.resources, 'resources');
      assert.deepEqual(resources, { limits: { memory: '256M' }, reservations: { memory: '64M' } });
    }
  });

  it("writes each general's log files to the logs volume, where LOG_DIR points", () => {
    assert.deepEqual(stack.volumes, { logs: {} });
    for (const name of generalNames) {
      assert.deepEqual(serviceAt(name).volumes, ['logs:/app/logs']);
      assert.equal(mappingAt(serviceAt(name).environment, name).LOG_DIR, '/app/logs');
    }
  });

  it('has a client that deploying does not start, that runs once, and whose flags `--args` replaces', () => {
    const client = serviceAt('client');
    assert.deepEqual(client.entrypoint, ['node', 'dist/src/cli.js', 'client']);
    assert.deepEqual(client.command, ['--order', 'ATTACK', '--t', '3', '--wait', '120000']);
    assert.equal(deployOf('client').replicas, 0);
    assert.deepEqual(deployOf('client').restart_policy, { condition: 'none' });
    assert.deepEqual(client.environment, {
      PEERS: generalNames.map((name) => `${name}:50051`).join(','),
      TRAITORS: '3:equivocate,4:flip,7:random:9',
      CLIENT_KEY_FILE: '/run/secrets/client_key',
      CERTS_DIR: '/app/certs',
    });
    assert.deepEqual(client.secrets, [
      { source: 'client_key', target: 'client_key', uid: '1000', gid: '1000', mode: 0o400 },
    ]);
    // The image's HEALTHCHECK probes a general: in the client it would fail, and Swarm would kill a
    // run that outlasts the start period.
    assert.deepEqual(client.healthcheck, { disable: true });
  });

  it('hardens every container as compose does, within what Swarm applies', () => {
    for (const name of [...generalNames, 'client']) {
      const service = serviceAt(name);
      assert.equal(
        service.user,
        '1000:1000',
        `${name} runs as the image's node user, whom the secrets are for`,
      );
      assert.equal(service.read_only, true);
      assert.equal(service.init, true);
      assert.deepEqual(service.tmpfs, ['/tmp']);
      assert.deepEqual(service.cap_drop, ['ALL']);
      for (const key of NOT_FOR_SWARM) assert.equal(service[key], undefined, `${name} has no ${key}`);
    }
    for (const name of generalNames) {
      const healthcheck = mappingAt(serviceAt(name).healthcheck, 'healthcheck');
      assert.deepEqual(healthcheck.test, ['CMD', 'node', '/app/dist/src/healthcheck.js']);
    }
  });

  it('with --no-auth: AUTH=off everywhere, no secrets, no configs', () => {
    const open = readYaml(renderSwarm(clusterOf(['4', '1', '--no-auth'])));
    assert.deepEqual(Object.keys(open), ['version', 'services', 'networks', 'volumes']);
    for (const [name, service] of Object.entries(mappingAt(open.services, 'services'))) {
      const entry = mappingAt(service, name);
      assert.equal(mappingAt(entry.environment, name).AUTH, 'off');
      assert.equal(entry.secrets, undefined);
      assert.equal(entry.configs, undefined);
    }
  });

  it('embeds no key material', () => {
    assert.doesNotMatch(renderSwarm(clusterOf(argv)), /BEGIN|PRIVATE KEY/);
    assert.ok(sequenceAt(serviceAt('general-0').secrets, 'secrets').length === 1);
  });
});

describe('generate-compose --swarm', () => {
  let work = '';
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'swarm-cli-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('writes stack.yaml and the keys it names, no .env and no ./logs, and says how to deploy and run', () => {
    const result = runGenerator(['7', '2,5', '--swarm'], work);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(readFileSync(join(work, 'stack.yaml'), 'utf8'), renderSwarm(clusterOf(['7', '2,5'])));
    assert.deepEqual(readdirSync(work).sort(), ['keys', 'stack.yaml']);
    for (const id of [0, 6]) assert.ok(existsSync(join(work, 'keys', 'private', `general_${id}.pem`)));
    assert.match(result.stdout, /docker stack deploy -c stack.yaml byzantine/);
    assert.match(result.stdout, /docker service scale byzantine_client=1/);
    assert.match(result.stdout, /docker service logs --raw byzantine_client/);
  });
});
