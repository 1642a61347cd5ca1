/**
 * A peer whose name comes to resolve to another address (a Swarm task or a pod moved off a lost
 * node) leaves a general's stream to its old address open and silent. When a run starts, the
 * general looks each peer's name up again (followMoves) and gives up a stream whose connection
 * reached an address the name no longer leads to: what it carried goes again on a new connection.
 *
 * Here a stand-in peer on loopback answers every batch on its Exchange streams and notes the
 * client address of each; the general's links reach it as `localhost`, and the name's answers
 * are the test's to choose.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import type { Batch } from '../../src/core/run/types.js';
import type { BatchAck } from '../../src/net/generated/byzantine/v1/BatchAck.js';
import type { BatchEnvelope__Output } from '../../src/net/generated/byzantine/v1/BatchEnvelope.js';
import { PeerLinks, type Resolve } from '../../src/net/peer-links.js';
import { byzantineProto } from '../../src/net/proto.js';
import { PLAINTEXT } from '../../src/net/transport-security.js';

/** A peer that acknowledges every batch and notes, per stream, the client's address and port. */
async function standInPeer(): Promise<{ port: number; streams: string[]; stop: () => void }> {
  const server = new grpc.Server();
  const streams: string[] = [];
  server.addService(byzantineProto().byzantine.v1.General.service, {
    Exchange: (call: grpc.ServerDuplexStream<BatchEnvelope__Output, BatchAck>) => {
      streams.push(call.getPeer());
      call.on('data', (envelope: BatchEnvelope__Output) =>
        call.write({ seq: envelope.seq, code: grpc.status.OK, accepted: envelope.batch?.count ?? 0 }),
      );
      call.on('end', () => call.end());
      call.on('error', () => {});
    },
  });
  const port = await new Promise<number>((ready, fail) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? fail(error) : ready(bound),
    ),
  );
  return { port, streams, stop: () => server.forceShutdown() };
}

const batch = (round: number): Batch => ({
  runId: 'run-moves',
  round,
  sender: 0,
  receiver: 1,
  values: ['ATTACK', 'RETREAT', 'ATTACK'],
});

describe("a peer's name that comes to lead elsewhere", () => {
  let peer: Awaited<ReturnType<typeof standInPeer>>;
  let links: PeerLinks;
  let answer: () => Promise<readonly string[]>;
  const asked: string[] = [];
  const broke: string[] = [];
  const back: string[] = [];

  before(async () => {
    peer = await standInPeer();
    const resolve: Resolve = (host) => {
      asked.push(host);
      return answer();
    };
    links = new PeerLinks(
      // General 0 is this one: PEERS names itself by address, its one peer by name.
      [
        { host: '127.0.0.1', port: 1 },
        { host: 'localhost', port: peer.port },
      ],
      PLAINTEXT,
      0,
      { broke: (message) => broke.push(message), back: (message) => back.push(message) },
      'stream',
      resolve,
    );
    // Acknowledged: the stream is open end to end, connected to 127.0.0.1.
    assert.equal(await links.send(batch(0), 10_000), 3);
  });

  after(() => {
    links?.close();
    peer?.stop();
  });

  test('while the name still leads to the connected address, the stream stays', async () => {
    answer = async () => ['127.0.0.1', '::1'];
    await links.followMoves();
    assert.deepEqual(asked, ['localhost'], 'only the peer named by a name is looked up');
    assert.deepEqual(broke, []);
    assert.equal(await links.send(batch(1), 10_000), 3);
    assert.equal(peer.streams.length, 1, 'one stream, kept');
  });

  test('a name that does not resolve now leaves the stream as it is', async () => {
    answer = () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    await links.followMoves();
    assert.deepEqual(broke, []);
    assert.equal(peer.streams.length, 1);
  });

  test('once the name leads elsewhere, the stream is given up and the next batch goes on a new connection', async () => {
    answer = async () => ['10.9.9.9'];
    await links.followMoves();
    assert.equal(broke.length, 1, broke.join('\n'));
    assert.match(
      broke[0] ?? '',
      /^stream to general 1 broke \(localhost has moved from 127\.0\.0\.1 to 10\.9\.9\.9\); reopening$/,
    );
    // The new channel looks `localhost` up for itself (the real answer: this loopback peer).
    assert.equal(await links.send(batch(2), 10_000), 3);
    assert.equal(peer.streams.length, 2, 'a second stream');
    assert.notEqual(peer.streams[1], peer.streams[0], 'from another client port: a new connection');
    assert.deepEqual(back, ['stream to general 1 reopened']);
  });
});
