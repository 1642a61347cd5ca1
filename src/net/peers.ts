import * as grpc from '@grpc/grpc-js';
import { formatHostPort, type HostPort } from '../config/config.js';
import { PeerCallError } from './errors.js';
import type { GeneralClient } from './generated/byzantine/v1/General.js';
import { FAST_RECONNECT, waitForReadyMetadata } from './health.js';
import { byzantineProto } from './proto.js';

/** Large enough for any batch a sane run sends; anything bigger is refused by the transport. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, response?: Res) => void,
) => grpc.ClientUnaryCall;

/** One channel per peer, created on first use and reused for every call after. */
export class PeerClients {
  private readonly clients = new Map<number, GeneralClient>();

  constructor(readonly peers: readonly HostPort[]) {}

  address(id: number): string {
    const peer = this.peers[id];
    if (peer === undefined) throw new RangeError(`no general ${id}: PEERS has ${this.peers.length}`);
    return formatHostPort(peer);
  }

  client(id: number): GeneralClient {
    let client = this.clients.get(id);
    if (client === undefined) {
      const General = byzantineProto().byzantine.v1.General;
      client = new General(this.address(id), grpc.credentials.createInsecure(), {
        ...FAST_RECONNECT,
        'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
        'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
      });
      this.clients.set(id, client);
    }
    return client;
  }

  /** A unary call with a deadline; waits for the connection until then rather than failing fast. */
  call<Req, Res>(
    id: number,
    method: 'RunAlgorithm' | 'SendOrder' | 'GetDecision' | 'ResetLog' | 'GetTrace',
    request: Req,
    deadlineMs: number,
  ): Promise<Res> {
    const client = this.client(id);
    const fn = client[method] as unknown as UnaryMethod<Req, Res>;
    return new Promise((resolve, reject) => {
      fn.call(
        client,
        request,
        waitForReadyMetadata(),
        { deadline: Date.now() + deadlineMs },
        (error, response) => {
          if (error || response === undefined)
            reject(new PeerCallError(id, method, error?.code, error ?? 'no response'));
          else resolve(response);
        },
      );
    });
  }

  /** Starts connecting to every peer but `self`, so no round pays for a connection setup. */
  connectAll(self: number): void {
    this.peers.forEach((_, id) => {
      if (id !== self) this.client(id).getChannel().getConnectivityState(true);
    });
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}
