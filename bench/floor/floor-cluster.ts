import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { Algorithm } from '../../src/core/algorithm.js';
import { freePorts } from '../../src/local/cluster.js';

type Unary = (
  request: { run: number },
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null) => void,
) => void;
type FloorClient = grpc.Client & { Start: Unary; Done: Unary };

const here = dirname(fileURLToPath(import.meta.url));
const CALL_DEADLINE_MS = 600_000;

/**
 * The floor's processes (floor-node.ts), started and driven like a cluster of generals: each run
 * starts every lieutenant, then the commander, then waits for every node to be done, as the client
 * joins the generals and then asks each for its decision.
 */
export class FloorCluster {
  private run = 0;

  private constructor(
    private readonly nodes: readonly ChildProcess[],
    private readonly clients: readonly FloorClient[],
  ) {}

  static async start(
    n: number,
    t: number,
    algorithm: Algorithm,
    payloads: readonly number[],
    nodeArgs: readonly string[] = [],
  ): Promise<FloorCluster> {
    const ports = await freePorts(n);
    const nodes = ports.map((_, id) =>
      spawn(
        process.execPath,
        [...nodeArgs, '--import', import.meta.resolve('tsx'), join(here, 'floor-node.ts')],
        {
          env: {
            ...process.env,
            ID: String(id),
            PORTS: ports.join(','),
            T: String(t),
            ALGORITHM: algorithm,
            PAYLOADS: payloads.join(','),
          },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      ),
    );
    await Promise.all(
      nodes.map(
        (node) =>
          new Promise<void>((ready, fail) => {
            node.stdout?.on('data', (chunk: Buffer) => {
              if (chunk.toString().includes('ready')) ready();
            });
            node.once('exit', (code) => fail(new Error(`a floor node exited (${code}) before it was ready`)));
          }),
      ),
    );
    const definition = protoLoader.loadSync(join(here, 'floor.proto'), { defaults: true });
    const Floor = (
      grpc.loadPackageDefinition(definition) as unknown as {
        floor: { v1: { Floor: new (address: string, credentials: grpc.ChannelCredentials) => FloorClient } };
      }
    ).floor.v1.Floor;
    const clients = ports.map((port) => new Floor(`127.0.0.1:${port}`, grpc.credentials.createInsecure()));
    return new FloorCluster(nodes, clients);
  }

  pid(id: number): number | undefined {
    return this.nodes[id]?.pid;
  }

  /** One run; resolves with its wall time in ms. */
  async once(): Promise<number> {
    const run = ++this.run;
    const call = (client: FloorClient, method: 'Start' | 'Done') =>
      new Promise<void>((ok, fail) => {
        client[method].call(client, { run }, { deadline: Date.now() + CALL_DEADLINE_MS }, (error) =>
          error ? fail(error) : ok(),
        );
      });
    const started = performance.now();
    const [commander, ...lieutenants] = this.clients;
    if (commander === undefined) throw new RangeError('a floor needs a commander');
    await Promise.all(lieutenants.map((client) => call(client, 'Start')));
    await call(commander, 'Start');
    await Promise.all(this.clients.map((client) => call(client, 'Done')));
    return performance.now() - started;
  }

  async stop(): Promise<void> {
    for (const client of this.clients) client.close();
    await Promise.all(
      this.nodes.map(
        (node) =>
          new Promise<void>((done) => {
            if (node.exitCode !== null) return done();
            node.once('exit', () => done());
            node.kill('SIGTERM');
          }),
      ),
    );
  }
}
