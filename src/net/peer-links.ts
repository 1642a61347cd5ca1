import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { HostPort, PeerCalls } from '../config/config.js';
import type { Batch } from '../core/run/types.js';
import type { Batch as WireBatch } from './generated/byzantine/v1/Batch.js';
import { type LinkEvents, PeerLink } from './peer-link.js';
import { PeerClients } from './peers.js';
import { toWireBatch } from './proto.js';
import type { TransportSecurity } from './transport-security.js';

/** The addresses a peer's name resolves to now, as grpc-js itself looks them up. */
export type Resolve = (host: string) => Promise<readonly string[]>;

const resolveName: Resolve = async (host) =>
  (await lookup(host, { all: true })).map(({ address }) => address);

/** "10.0.1.5:50051" or "[fd00::5]:50051" -> the address alone. */
function addressOf(peer: string): string {
  const host = peer.slice(0, peer.lastIndexOf(':'));
  return host.startsWith('[') ? host.slice(1, -1) : host;
}

/**
 * A general's outbound streams, one per peer, opened when it starts and kept across runs; or, with
 * PEER_CALLS=unary, a SendOrder call per batch (what generals did before streams: kept so that the
 * bench can measure what the streams gain, and for networks that do not carry long-lived streams).
 */
export class PeerLinks {
  private readonly clients: PeerClients;
  private readonly links = new Map<number, PeerLink>();

  constructor(
    peers: readonly HostPort[],
    security: TransportSecurity,
    private readonly self: number,
    private readonly events: LinkEvents,
    private readonly calls: PeerCalls = 'stream',
    private readonly resolve: Resolve = resolveName,
  ) {
    this.clients = new PeerClients(peers, security);
  }

  private link(id: number): PeerLink {
    let link = this.links.get(id);
    if (link === undefined) {
      const source = { client: () => this.clients.client(id), renew: () => this.clients.renew(id) };
      link = new PeerLink(source, id, this.events);
      this.links.set(id, link);
    }
    return link;
  }

  /** Delivers `batch` to its receiver: resolves with the values accepted, rejects with why not. */
  send(batch: Batch, deadlineMs: number): Promise<number> {
    if (this.calls === 'unary') {
      return this.clients
        .call<WireBatch, { accepted: number }>(batch.receiver, 'SendOrder', toWireBatch(batch), deadlineMs)
        .then((reply) => reply.accepted);
    }
    return this.link(batch.receiver).send(batch, deadlineMs);
  }

  /** Opens every stream (or channel) not open yet, so that no round waits for a connection. */
  openAll(): void {
    if (this.calls === 'unary') {
      this.clients.connectAll(this.self);
      return;
    }
    this.clients.peers.forEach((_, id) => {
      if (id !== this.self) this.link(id).connect();
    });
  }

  /**
   * Gives up each stream whose connection reached an address that the peer's name no longer
   * resolves to, and writes what it carried on a new connection. A Swarm task or a pod that moved
   * (its node lost, say) leaves the connections to its old address open and silent: no error comes,
   * and keepalive pings would notice only after tens of seconds, a run too late. Asked when a run
   * starts; peers named by address, and names that do not resolve now, are left as they are.
   */
  async followMoves(): Promise<void> {
    if (this.calls === 'unary') return;
    await Promise.all(
      [...this.links].map(async ([id, link]) => {
        const host = this.clients.peers[id]?.host;
        const reached = link.connectedTo;
        if (host === undefined || isIP(host) !== 0 || reached === undefined) return;
        let now: readonly string[];
        try {
          now = await this.resolve(host);
        } catch {
          return;
        }
        const old = addressOf(reached);
        if (now.length === 0 || now.includes(old) || link.connectedTo !== reached) return;
        link.renew(`${host} has moved from ${old} to ${now.join(', ')}`);
      }),
    );
  }

  /** Streams open to peers that have answered them (none with PEER_CALLS=unary). */
  streamsOpen(): number {
    let open = 0;
    for (const link of this.links.values()) if (link.open) open++;
    return open;
  }

  close(): void {
    for (const link of this.links.values()) link.close();
    this.links.clear();
    this.clients.close();
  }
}
