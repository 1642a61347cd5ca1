/**
 * Server reflection on a running cluster, as grpcurl, Evans or Postman use it: a tool that knows only
 * a general's address (and, under mutual TLS, the cluster's CA and the client's certificate, dialling
 * the TLS name general-<id>) lists the services, fetches their descriptors, and calls them with no
 * .proto at hand. Once with mutual TLS, once under AUTH=off in plaintext; real processes, real gRPC.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { LocalCluster } from '../../src/local/cluster.js';
import { waitForGenerals } from '../../src/net/cluster-client.js';
import { tempDir } from '../support/process.js';
import {
  decodeFile,
  type FileProto,
  type MessageProto,
  packageFromReflection,
  Reflection,
} from '../support/reflection.js';

const N = 4;
const GENERAL = 'byzantine.v1.General';
const HEALTH = 'grpc.health.v1.Health';
/** The wire contract, from proto/byzantine.proto: each method and whether it streams requests, responses. */
const GENERAL_METHODS = {
  RunAlgorithm: [false, false],
  SendOrder: [false, false],
  Exchange: [true, true],
  GetDecision: [false, false],
  ResetLog: [false, false],
  GetTrace: [false, false],
  WatchRun: [false, true],
} as const;

/** How a tool reaches general `id`: its address, credentials made from the files, its TLS name. */
interface Dial {
  readonly address: string;
  readonly credentials: grpc.ChannelCredentials;
  readonly options: grpc.ChannelOptions;
}

/** What `grpcurl -cacert … -cert … -key … -authority general-<id>` (or `-plaintext`) would use. */
function dialOf(cluster: LocalCluster, id: number): Dial {
  const peer = cluster.peers[id];
  assert.ok(peer, `general ${id} is in the cluster`);
  const address = `${peer.host}:${peer.port}`;
  const { keyDir } = cluster;
  if (keyDir === undefined) return { address, credentials: grpc.credentials.createInsecure(), options: {} };
  const read = (...path: string[]) => readFileSync(join(keyDir, ...path));
  return {
    address,
    credentials: grpc.credentials.createSsl(
      read('public', 'ca.pem'),
      read('private', 'client.pem'),
      read('public', 'client.pem'),
    ),
    options: { 'grpc.ssl_target_name_override': `general-${id}` },
  };
}

type Callback<T> = (error: grpc.ServiceError | null, response?: T) => void;
type DynamicClient = grpc.Client & Record<string, (...args: unknown[]) => unknown>;
type DynamicService = new (
  address: string,
  c: grpc.ChannelCredentials,
  o: grpc.ChannelOptions,
) => DynamicClient;

/** The constructor of service `fullName` in a package definition built from reflection. */
function serviceIn(pkg: grpc.GrpcObject, fullName: string): DynamicService & grpc.ServiceClientConstructor {
  let node: unknown = pkg;
  for (const part of fullName.split('.')) node = (node as Record<string, unknown>)[part];
  assert.equal(typeof node, 'function', `${fullName} is in the reflected descriptors`);
  return node as DynamicService & grpc.ServiceClientConstructor;
}

function unaryCall<T>(client: DynamicClient, method: string, request: object): Promise<T> {
  const call = client[method];
  assert.ok(call, `the reflected client has ${method}`);
  return new Promise((resolve, reject) => {
    call.call(client, request, { deadline: Date.now() + 30_000 }, ((error, response) => {
      if (error) reject(error);
      else resolve(response as T);
    }) as Callback<T>);
  });
}

/** protoc's name for the entry type of map field `field` (foo_bar -> FooBarEntry), written from its rule. */
function protocMapEntryName(field: string): string {
  const words = field.split('_').filter((word) => word !== '');
  return `${words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('')}Entry`;
}

/** Every map field in `message` and below, with the entry type it refers to and protoc's name for it. */
function mapEntries(
  message: MessageProto,
  scope: string,
): Array<{ field: string; entry: string; protoc: string }> {
  const found: Array<{ field: string; entry: string; protoc: string }> = [];
  for (const nested of message.nestedType) {
    if (nested.options?.mapEntry === true) {
      for (const field of message.field.filter((f) => f.typeName.split('.').at(-1) === nested.name)) {
        const at = `${scope}${message.name}`;
        found.push({
          field: `${at}.${field.name}`,
          entry: `${at}.${nested.name}`,
          protoc: `${at}.${protocMapEntryName(field.name)}`,
        });
      }
    }
    found.push(...mapEntries(nested, `${scope}${message.name}.`));
  }
  return found;
}

const logs = tempDir('reflection');

for (const auth of [true, false]) {
  const mode = auth ? 'mutual TLS, with the cluster CA and the client certificate' : 'AUTH=off, in plaintext';

  describe(`server reflection over ${mode}`, () => {
    let cluster: LocalCluster | undefined;
    const open: Array<{ close(): void }> = [];
    const running = () => {
      assert.ok(cluster, 'the cluster started');
      return cluster;
    };
    const reflectionOf = (id: number, version: 'v1' | 'v1alpha' = 'v1') => {
      const dial = dialOf(running(), id);
      const reflection = new Reflection(dial.address, dial.credentials, dial.options, version);
      open.push(reflection);
      return reflection;
    };

    before(async () => {
      cluster = await LocalCluster.start({
        n: N,
        roster: new Map(),
        roundTimeoutMs: 10_000,
        logDir: logs.path,
        auth,
      });
      const peers = cluster.clients();
      try {
        await waitForGenerals(peers, 60_000);
      } finally {
        peers.close();
      }
    });

    after(async () => {
      for (const client of open) client.close();
      await cluster?.stop();
    });

    test(`every general lists ${GENERAL} and ${HEALTH} (reflection v1 and v1alpha)`, async () => {
      for (let id = 0; id < N; id++) {
        for (const version of ['v1', 'v1alpha'] as const) {
          const services = await reflectionOf(id, version).listServices();
          assert.ok(services.includes(GENERAL), `general ${id} (${version}) lists ${services.join(', ')}`);
          assert.ok(services.includes(HEALTH), `general ${id} (${version}) lists ${services.join(', ')}`);
        }
      }
    });

    test(`the descriptor of ${GENERAL} holds every method of the wire contract, by symbol and by file name`, async () => {
      const reflection = reflectionOf(1);
      const [first, ...rest] = await reflection.fileContainingSymbol(GENERAL);
      assert.ok(first, 'a file descriptor for the service');
      const file: FileProto = decodeFile(first);
      assert.equal(file.package, 'byzantine.v1');
      assert.deepEqual(
        file.service.map((s) => s.name),
        ['General'],
      );
      // grpcurl asks again by the file's name, then for each dependency by name.
      const again = await reflection.fileByFilename(file.name);
      assert.deepEqual(again[0], first, `the file named ${file.name} is the same descriptor`);
      const dependencies = await Promise.all(file.dependency.map((name) => reflection.fileByFilename(name)));
      const General = serviceIn(packageFromReflection([first, ...rest, ...dependencies.flat()]), GENERAL);
      const methods = Object.fromEntries(
        Object.entries(General.service).map(([name, m]) => [name, [m.requestStream, m.responseStream]]),
      );
      assert.deepEqual(methods, GENERAL_METHODS);
      assert.equal(General.service.GetDecision?.path, '/byzantine.v1.General/GetDecision');
    });

    test('a client built from the reflected descriptors alone runs OM(1) with n=4 to ATTACK', async () => {
      const c = running();
      const General = serviceIn(
        packageFromReflection(await reflectionOf(0).fileContainingSymbol(GENERAL)),
        GENERAL,
      );
      const clients = Array.from({ length: N }, (_, id) => {
        const dial = dialOf(c, id);
        const client = new General(dial.address, dial.credentials, dial.options);
        open.push(client);
        return client;
      });
      const runId = `reflected-${auth ? 'tls' : 'plaintext'}`;
      const join = { runId, generals: N, t: 1, algorithm: 'OM', roundTimeoutMs: 10_000 };
      // Lieutenants first, then the commander, whose request alone carries the order.
      for (let id = 1; id < N; id++) {
        const joined = await unaryCall<{ id: number }>(clients[id] as DynamicClient, 'RunAlgorithm', join);
        assert.equal(joined.id, id);
      }
      await unaryCall(clients[0] as DynamicClient, 'RunAlgorithm', { ...join, order: 'ATTACK' });
      // No traitor, n > 3t: every lieutenant follows the loyal commander (IC2) and holds 1 + (n-2)
      // values, the order and each other lieutenant's relay of it, all ATTACK, none missing.
      for (let id = 1; id < N; id++) {
        const decision = await unaryCall<{
          decision: string;
          tally: { attack: number; retreat: number };
          valuesMissing: number;
        }>(clients[id] as DynamicClient, 'GetDecision', { runId });
        assert.equal(decision.decision, 'ATTACK', `general ${id}`);
        assert.deepEqual(decision.tally, { attack: 3, retreat: 0 }, `general ${id}`);
        assert.equal(decision.valuesMissing, 0, `general ${id}`);
      }
    });

    test(`a client built from the reflected descriptor of ${HEALTH} reads SERVING`, async () => {
      const c = running();
      const Health = serviceIn(
        packageFromReflection(await reflectionOf(3).fileContainingSymbol(HEALTH)),
        HEALTH,
      );
      const dial = dialOf(c, 3);
      const client = new Health(dial.address, dial.credentials, dial.options);
      open.push(client);
      const answer = await unaryCall<{ status: string }>(client, 'Check', { service: GENERAL });
      assert.equal(answer.status, 'SERVING');
    });

    test('every map entry type served is named as protoc names it (strict tools such as grpcurl refuse others)', async () => {
      const reflection = reflectionOf(2);
      const entries = [];
      for (const service of [GENERAL, HEALTH]) {
        for (const encoded of await reflection.fileContainingSymbol(service)) {
          const file = decodeFile(encoded);
          entries.push(...file.messageType.flatMap((m) => mapEntries(m, `${file.package}.`)));
        }
      }
      // health.proto has one map, HealthListResponse.statuses; byzantine.proto has none.
      assert.deepEqual(
        entries.map((e) => e.field),
        ['grpc.health.v1.HealthListResponse.statuses'],
      );
      for (const { entry, protoc } of entries) assert.equal(entry, protoc);
    });
  });
}

after(() => logs.remove());
