/**
 * One process of the floor: what the same run costs over grpc-js with nothing else. It keeps one
 * bidirectional stream to each peer, acknowledges each message on it, and plays the run's rounds
 * in lock step, as the run's schedule has them (who sends to whom in each round, from the core):
 * once it holds every batch it expects in round r it sends its round r+1 batches, and it is done
 * after its last round. The payloads have the size of the real batches (PAYLOADS, bytes per round).
 * No algorithm, no logs, no TLS, no validation: a lower bound for the generals, measured in the
 * same run of the bench.
 *
 * Env: ID, PORTS (every node's port on 127.0.0.1, index = id), T, ALGORITHM (om, sm or king: whose
 * schedule), PAYLOADS (comma list, one per round).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { kingSchedule } from '../../src/core/king/schedule.js';
import { relaySchedule } from '../../src/core/run/relay-schedule.js';

interface Envelope {
  seq: number;
  run: number;
  round: number;
  sender: number;
  payload: Buffer;
}

type Stream = grpc.ClientDuplexStream<Envelope, { seq: number }>;
type FloorClient = grpc.Client & {
  Exchange(): Stream;
};

const id = Number(process.env.ID);
const ports = (process.env.PORTS ?? '').split(',').map(Number);
const t = Number(process.env.T);
const payloads = (process.env.PAYLOADS ?? '').split(',').map((bytes) => Buffer.alloc(Number(bytes), 0x5a));
const n = ports.length;
const schedule =
  process.env.ALGORITHM === 'king' ? kingSchedule(n, t) : relaySchedule(n, t, () => ({ least: 0, most: 1 }));
const lastRound = schedule.lastRoundOf(id);

const definition = protoLoader.loadSync(join(dirname(fileURLToPath(import.meta.url)), 'floor.proto'), {
  defaults: true,
});
const Floor = (
  grpc.loadPackageDefinition(definition) as unknown as {
    floor: { v1: { Floor: grpc.ServiceClientConstructor } };
  }
).floor.v1.Floor;

interface Run {
  round: number;
  readonly received: Map<number, number>;
  done: boolean;
  readonly waiters: Array<() => void>;
}

const runs = new Map<number, Run>();
const runOf = (run: number): Run => {
  let state = runs.get(run);
  if (state === undefined) {
    state = { round: 0, received: new Map(), done: false, waiters: [] };
    runs.set(run, state);
  }
  return state;
};

const streams = new Map<number, Stream>();
let seq = 0;
function streamTo(peer: number): Stream {
  let stream = streams.get(peer);
  if (stream === undefined) {
    const client = new Floor(
      `127.0.0.1:${ports[peer]}`,
      grpc.credentials.createInsecure(),
    ) as unknown as FloorClient;
    stream = client.Exchange();
    stream.on('data', () => {});
    stream.on('error', () => streams.delete(peer));
    streams.set(peer, stream);
  }
  return stream;
}

function sendRound(run: number, round: number): void {
  for (const to of schedule.receivers(round, id)) {
    seq = (seq + 1) % 0x1_0000_0000;
    streamTo(to).write({ seq, run, round, sender: id, payload: payloads[round] ?? Buffer.alloc(0) });
  }
}

const expected = (round: number) => schedule.senders(round, id).length;

function finish(state: Run): void {
  state.done = true;
  for (const wake of state.waiters.splice(0)) wake();
}

/** Closes every complete round in order, sending the next one's batches after each. */
function advance(run: number, state: Run): void {
  while (!state.done && (state.received.get(state.round) ?? 0) >= expected(state.round)) {
    const next = state.round + 1;
    if (next > lastRound) {
      finish(state);
      return;
    }
    sendRound(run, next);
    state.round = next;
  }
}

const server = new grpc.Server();
server.addService(Floor.service, {
  Exchange: (call: grpc.ServerDuplexStream<Envelope, { seq: number }>) => {
    call.on('data', (message: Envelope) => {
      call.write({ seq: message.seq });
      const state = runOf(message.run);
      state.received.set(message.round, (state.received.get(message.round) ?? 0) + 1);
      advance(message.run, state);
    });
    call.on('end', () => call.end());
    call.on('error', () => {});
  },
  Start: (call: grpc.ServerUnaryCall<{ run: number }, object>, callback: grpc.sendUnaryData<object>) => {
    const state = runOf(call.request.run);
    // Round 0 is the commander's alone; it waits on nothing before sending it.
    if (id === 0) sendRound(call.request.run, 0);
    if (lastRound < 0) finish(state);
    else advance(call.request.run, state);
    callback(null, {});
  },
  Done: (call: grpc.ServerUnaryCall<{ run: number }, object>, callback: grpc.sendUnaryData<object>) => {
    const state = runOf(call.request.run);
    const answer = () => {
      runs.delete(call.request.run);
      callback(null, {});
    };
    if (state.done) answer();
    else state.waiters.push(answer);
  },
});
server.bindAsync(`127.0.0.1:${ports[id]}`, grpc.ServerCredentials.createInsecure(), (error) => {
  if (error) throw error;
  process.stdout.write('ready\n');
});
process.on('SIGTERM', () => server.forceShutdown());
