import type * as grpc from '@grpc/grpc-js';
import { formatHostPort, type HostPort } from '../config/config.js';
import { PeerCallError } from './errors.js';
import type { GeneralClient } from './generated/byzantine/v1/General.js';
import { FAST_RECONNECT, type HealthClient, healthClient, waitForReadyMetadata } from './health.js';
import { keepResolving } from './name-resolution.js';
import { byzantineProto } from './proto.js';
import {
  channelCredentials,
  PLAINTEXT,
  peerChannelOptions,
  type TransportSecurity,
} from './transport-security.js';

/** Larger than any batch a sane run sends (packed OM values, SM chains); bigger ones are refused. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * Keepalive pings on every channel, so that a peer whose machine is gone (a paused or lost node)
 * fails its streams within a minute instead of holding them open until the kernel gives up. During
 * a run each batch's own deadline notices sooner; the pings are for the idle streams between runs,
 * and no more often than that: each general pings each of its n-1 peers.
 */
export const KEEPALIVE: grpc.ChannelOptions = {
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 1,
};

export type UnaryMethod = 'RunAlgorithm' | 'SendOrder' | 'GetDecision' | 'ResetLog' | 'GetTrace';

type Unary<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, response?: Res) => void,
) => grpc.ClientUnaryCall;

/** One channel per peer, created on first use and reused for every call after. */
export class PeerClients {
  private readonly clients = new Map<number, GeneralClient>();
  private sharedCredentials: grpc.ChannelCredentials | undefined;

  constructor(
    readonly peers: readonly HostPort[],
    readonly security: TransportSecurity = PLAINTEXT,
  ) {}

  /** One TLS context for every channel: parsing the keys and certificates for each peer is waste. */
  private credentials(): grpc.ChannelCredentials {
    this.sharedCredentials ??= channelCredentials(this.security);
    return this.sharedCredentials;
  }

  address(id: number): string {
    const peer = this.peers[id];
    if (peer === undefined) throw new RangeError(`no general ${id}: PEERS has ${this.peers.length}`);
    return formatHostPort(peer);
  }

  private options(id: number): grpc.ChannelOptions {
    return { ...FAST_RECONNECT, ...KEEPALIVE, ...peerChannelOptions(this.security, id) };
  }

  client(id: number): GeneralClient {
    let client = this.clients.get(id);
    if (client === undefined) {
      const General = byzantineProto().byzantine.v1.General;
      client = new General(this.address(id), this.credentials(), {
        ...this.options(id),
        'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
        'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
        // A connection of this channel's own: renew() must leave a dead one behind, not share it.
        'grpc.use_local_subchannel_pool': 1,
      });
      keepResolving(client.getChannel());
      this.clients.set(id, client);
    }
    return client;
  }

  /**
   * Closes general `id`'s channel and makes a new one, which connects afresh and looks the name up
   * again: for a connection that has gone silent, which grpc-js would keep using until a keepalive
   * ping failed.
   */
  renew(id: number): GeneralClient {
    this.clients.get(id)?.close();
    this.clients.delete(id);
    return this.client(id);
  }

  /** A health client for general `id`, on its own channel, with this cluster's credentials. */
  health(id: number): HealthClient {
    const client = healthClient(this.address(id), this.credentials(), {
      ...this.options(id),
      // Asked while generals start: a refused connection is cheap, so try again within a quarter
      // second rather than back off to a second and see a general up late.
      'grpc.max_reconnect_backoff_ms': 250,
    });
    keepResolving(client.getChannel());
    return client;
  }

  /** A unary call with a deadline; waits for the connection until then rather than failing fast. */
  call<Req, Res>(id: number, method: UnaryMethod, request: Req, deadlineMs: number): Promise<Res> {
    const client = this.client(id);
    const fn = client[method] as unknown as Unary<Req, Res>;
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
