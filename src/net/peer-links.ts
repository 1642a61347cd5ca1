import type { HostPort, PeerCalls } from '../config/config.js';
import type { Batch } from '../core/run/types.js';
import type { Batch as WireBatch } from './generated/byzantine/v1/Batch.js';
import { type LinkEvents, PeerLink } from './peer-link.js';
import { PeerClients } from './peers.js';
import { toWireBatch } from './proto.js';
import type { TransportSecurity } from './transport-security.js';

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
