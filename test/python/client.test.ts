/**
 * The Python client of docs/clients.md (docs/clients/python/byzantine_client.py), run as its users
 * run it: stubs generated from proto/byzantine.proto with grpcio-tools into a temporary directory,
 * then Debian's python3 and grpcio against four real general processes, once under mutual TLS with
 * the cluster's client certificate (Ed25519, through the system's OpenSSL that Debian's grpcio
 * links), once against generals under AUTH=off. And what server reflection serves, loaded by
 * Debian's python3-protobuf, which checks descriptors as protoc does. `npm run test:python`; without
 * python3-grpcio and python3-grpc-tools the tests fail and say what to install.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { LocalCluster } from '../../src/local/cluster.js';
import { waitForGenerals } from '../../src/net/cluster-client.js';
import { tempDir } from '../support/process.js';
import { generateStubs, type PythonResult, requirePythonGrpc, runPython } from '../support/python.js';
import { descriptorSet, Reflection } from '../support/reflection.js';

const CLIENT = join('docs', 'clients', 'python', 'byzantine_client.py');
const N = 4;
const ROUND_TIMEOUT_MS = '10000';

/**
 * Loads a FileDescriptorSet into a fresh DescriptorPool, which checks each file as protoc would
 * (Debian's python3-protobuf runs on the C++ library), and prints each named service's methods.
 */
const CHECK_DESCRIPTORS = `
import sys
from google.protobuf import descriptor_pb2, descriptor_pool
pool = descriptor_pool.DescriptorPool()
with open(sys.argv[1], "rb") as f:
    for file in descriptor_pb2.FileDescriptorSet.FromString(f.read()).file:
        pool.Add(file)
for name in sys.argv[2:]:
    print(name, " ".join(m.name for m in pool.FindServiceByName(name).methods))
`;

interface Row {
  readonly id: number;
  readonly role: string;
  readonly traitor: string;
  readonly decision: string;
  readonly attack: number;
  readonly retreat: number;
  readonly missing: number;
}

const ROW =
  /^(\d+)\s+(commander|lieutenant)\s+(yes|no)\s+(\(order \w+\)|ATTACK|RETREAT)\s+(\d+)\s+(\d+)\s+(\d+)$/;

/** The client's table, one row per general, or a failure that shows everything it printed. */
function rowsOf(run: PythonResult): Row[] {
  const rows = run.stdout
    .split('\n')
    .map((line) => ROW.exec(line.trim()))
    .filter((match) => match !== null)
    .map(([, id, role, traitor, decision, attack, retreat, missing]) => ({
      id: Number(id),
      role: String(role),
      traitor: String(traitor),
      decision: String(decision),
      attack: Number(attack),
      retreat: Number(retreat),
      missing: Number(missing),
    }));
  assert.equal(rows.length, N, `a row per general\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
  return rows;
}

function assertAgreed(run: PythonResult, consensus: string): void {
  assert.equal(run.code, 0, `exit status\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
  const lines = run.stdout.split('\n');
  assert.ok(lines.includes('IC1 holds: every loyal lieutenant decided alike'), run.stdout);
  assert.ok(lines.includes('IC2 holds: loyal lieutenants follow a loyal commander'), run.stdout);
  assert.ok(lines.includes(`Final consensus reached: ${consensus}`), run.stdout);
}

const stubs = tempDir('python-stubs');
const logs = tempDir('python-client');

before(() => {
  requirePythonGrpc();
  generateStubs(stubs.path);
});

after(() => {
  stubs.remove();
  logs.remove();
});

/** A cluster of N generals, healthy, stopped after the suite. */
function clusterFor(spec: Omit<Parameters<typeof LocalCluster.start>[0], 'n' | 'roundTimeoutMs' | 'logDir'>) {
  let cluster: LocalCluster | undefined;
  before(async () => {
    cluster = await LocalCluster.start({
      ...spec,
      n: N,
      roundTimeoutMs: Number(ROUND_TIMEOUT_MS),
      logDir: logs.path,
    });
    const peers = cluster.clients();
    try {
      await waitForGenerals(peers, 60_000);
    } finally {
      peers.close();
    }
  });
  after(async () => {
    await cluster?.stop();
  });
  return () => {
    assert.ok(cluster, 'the cluster started');
    return {
      peers: cluster.peers.map((p) => `${p.host}:${p.port}`).join(','),
      keyDir: cluster.keyDir,
    };
  };
}

describe('the Python client under mutual TLS, with the cluster CA and the client certificate', () => {
  const cluster = clusterFor({ roster: new Map([[1, { kind: 'flip' }]]) });

  test('OM(1), n=4, lieutenant 1 a flip traitor, order ATTACK: the loyal lieutenants agree on ATTACK', async () => {
    const { peers, keyDir } = cluster();
    assert.ok(keyDir, 'the cluster has credentials');
    const run = await runPython(
      [
        CLIENT,
        ...['--peers', peers, '--order', 'ATTACK', '--t', '1', '--traitors', '1'],
        ...['--round-timeout', ROUND_TIMEOUT_MS],
        ...['--certs', join(keyDir, 'public'), '--key', join(keyDir, 'private', 'client.pem')],
      ],
      stubs.path,
    );
    assertAgreed(run, 'ATTACK');
    // Derived by hand. Round 0: the loyal commander sends ATTACK to 1, 2 and 3. Round 1: each
    // lieutenant relays what it holds to the other two; the flip traitor 1 relays RETREAT. So 2 and 3
    // each hold ATTACK (from 0), RETREAT (0>1) and ATTACK (0>the other): 2 ATTACK, 1 RETREAT, the
    // majority ATTACK. Traitor 1 hears only loyal generals: 3 ATTACK (its own decision is not
    // judged). The commander receives nothing.
    const [commander, traitor, ...loyal] = rowsOf(run);
    assert.deepEqual(commander, {
      id: 0,
      role: 'commander',
      traitor: 'no',
      decision: '(order ATTACK)',
      attack: 0,
      retreat: 0,
      missing: 0,
    });
    const { decision: _notJudged, ...traitorTally } = traitor as Row;
    assert.deepEqual(traitorTally, {
      id: 1,
      role: 'lieutenant',
      traitor: 'yes',
      attack: 3,
      retreat: 0,
      missing: 0,
    });
    assert.deepEqual(loyal, [
      { id: 2, role: 'lieutenant', traitor: 'no', decision: 'ATTACK', attack: 2, retreat: 1, missing: 0 },
      { id: 3, role: 'lieutenant', traitor: 'no', decision: 'ATTACK', attack: 2, retreat: 1, missing: 0 },
    ]);
  });

  test('without a certificate (--auth off) every general refuses the handshake: exit 3, naming the general', async () => {
    const { peers } = cluster();
    const run = await runPython(
      [CLIENT, '--peers', peers, '--order', 'ATTACK', '--t', '1', '--auth', 'off'],
      stubs.path,
    );
    assert.equal(run.code, 3, `exit status\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
    assert.match(run.stderr, /general 1: RunAlgorithm failed: UNAVAILABLE/);
    assert.doesNotMatch(run.stdout, /consensus/);
  });
  test("what reflection serves passes protobuf's own checks (Debian's python3-protobuf)", async () => {
    const { peers, keyDir } = cluster();
    assert.ok(keyDir, 'the cluster has credentials');
    const read = (...path: string[]) => readFileSync(join(keyDir, ...path));
    const reflection = new Reflection(
      String(peers.split(',')[1]),
      grpc.credentials.createSsl(
        read('public', 'ca.pem'),
        read('private', 'client.pem'),
        read('public', 'client.pem'),
      ),
      { 'grpc.ssl_target_name_override': 'general-1' },
    );
    const services = ['byzantine.v1.General', 'grpc.health.v1.Health'];
    const files: Buffer[] = [];
    try {
      for (const service of services) files.push(...(await reflection.fileContainingSymbol(service)));
    } finally {
      reflection.close();
    }
    const setFile = join(stubs.path, 'reflected.pb');
    writeFileSync(setFile, descriptorSet(files));
    const run = await runPython(['-c', CHECK_DESCRIPTORS, setFile, ...services], '');
    assert.equal(run.code, 0, `the descriptor pool refused them:\n${run.stderr}`);
    // The methods as proto/byzantine.proto and grpc-health-check's health.proto declare them.
    assert.deepEqual(run.stdout.trim().split('\n'), [
      'byzantine.v1.General RunAlgorithm SendOrder Exchange GetDecision ResetLog GetTrace WatchRun',
      'grpc.health.v1.Health Check Watch List',
    ]);
  });
});

describe('the Python client against generals under AUTH=off, in plaintext', () => {
  const cluster = clusterFor({ roster: new Map(), auth: false });

  test('OM(1), n=4, no traitor, order ATTACK: every lieutenant decides ATTACK on 3 ATTACK values', async () => {
    const { peers, keyDir } = cluster();
    assert.equal(keyDir, undefined, 'the cluster has no credentials');
    const run = await runPython(
      [
        CLIENT,
        ...['--peers', peers, '--order', 'ATTACK', '--t', '1', '--traitors', 'none'],
        ...['--round-timeout', ROUND_TIMEOUT_MS, '--auth', 'off'],
      ],
      stubs.path,
    );
    assertAgreed(run, 'ATTACK');
    // Each lieutenant holds the commander's ATTACK and both other lieutenants' relays of it.
    assert.deepEqual(rowsOf(run), [
      {
        id: 0,
        role: 'commander',
        traitor: 'no',
        decision: '(order ATTACK)',
        attack: 0,
        retreat: 0,
        missing: 0,
      },
      { id: 1, role: 'lieutenant', traitor: 'no', decision: 'ATTACK', attack: 3, retreat: 0, missing: 0 },
      { id: 2, role: 'lieutenant', traitor: 'no', decision: 'ATTACK', attack: 3, retreat: 0, missing: 0 },
      { id: 3, role: 'lieutenant', traitor: 'no', decision: 'ATTACK', attack: 3, retreat: 0, missing: 0 },
    ]);
  });
});
