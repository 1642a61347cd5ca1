import * as grpc from '@grpc/grpc-js';
import type { Batch } from '../core/run/types.js';
import { PeerCallError } from './errors.js';
import type { BatchAck__Output } from './generated/byzantine/v1/BatchAck.js';
import type { BatchEnvelope } from './generated/byzantine/v1/BatchEnvelope.js';
import type { GeneralClient } from './generated/byzantine/v1/General.js';
import { waitForReadyMetadata } from './health.js';
import { toWireBatch } from './proto.js';

interface InFlight {
  readonly envelope: BatchEnvelope;
  readonly resolve: (accepted: number) => void;
  readonly reject: (error: PeerCallError) => void;
  readonly timer: NodeJS.Timeout;
  /** Not yet written on the current stream: new, or in flight when the last stream broke. */
  unwritten: boolean;
  /** Written again on a reopened stream: its first copy may have arrived before the stream broke. */
  resent: boolean;
  /** When it was last written (performance.now()). */
  writtenAt: number;
}

/**
 * Where a link gets its channel, and a new one when the connection under it is dead or leads to an
 * old address: a new stream on the old channel would ride the same connection.
 */
export interface ChannelSource {
  readonly client: () => GeneralClient;
  readonly renew: () => GeneralClient;
}

/**
 * What a link tells its general about the stream: it broke (and is being reopened), `graceful` when
 * the peer ended it (a peer that stops ends its streams), else it failed; it is back.
 */
export interface LinkEvents {
  readonly broke: (message: string, peer: number, graceful: boolean) => void;
  readonly back: (message: string, peer: number) => void;
}

const UNWATCHED: LinkEvents = { broke: () => {}, back: () => {} };

/** Seq numbers wrap within uint32. */
const SEQ_LIMIT = 0x1_0000_0000;
/** A stream that fails within this long of opening is reopened after a growing pause. */
const QUICK_FAILURE_MS = 1000;
const MAX_REOPEN_PAUSE_MS = 1000;

/**
 * The one long-lived Exchange stream from this general to one peer, kept across runs (as etcd's and
 * CockroachDB's raft transports keep one stream per peer rather than a call per message). Each batch
 * is one message, answered on the stream by an acknowledgement carrying its seq; each has its own
 * deadline, since the stream, meant to outlive runs, has none. When the stream breaks, it is
 * reopened at once (waiting for the peer to be reachable) and the batches still unacknowledged are
 * written again; a resent batch refused as a duplicate had arrived the first time, and counts as
 * accepted.
 *
 * A connection can also die without a word: its peer's machine vanished (a lost node), and keepalive
 * pings notice only after tens of seconds. Two signs give such a connection up, with its channel, so
 * that the batches go again on a new connection to wherever the peer's name now leads: the name no
 * longer resolves to the address the connection reached (renew(), when a run starts: a Swarm task or
 * a pod that moved), or a batch waited out its whole deadline with nothing at all heard on the
 * stream. Nothing earlier: a hundred generals on two cores take up to seconds to acknowledge, and a
 * busy peer taken for a dead one would only be made busier by a new handshake.
 */
export class PeerLink {
  private stream: grpc.ClientDuplexStream<BatchEnvelope, BatchAck__Output> | undefined;
  private seq = 0;
  private readonly inFlight = new Map<number, InFlight>();
  private closed = false;
  private openedAt = 0;
  private quickFailures = 0;
  private reopenTimer: NodeJS.Timeout | undefined;
  /** The peer answered the current stream (its headers arrived): the stream is open end to end. */
  private answered = false;
  /** The stream broke and has not been answered since. */
  private broken = false;
  /** When the current stream last said anything (headers or an acknowledgement). */
  private heardAt = 0;

  constructor(
    private readonly channel: ChannelSource,
    readonly peer: number,
    private readonly events: LinkEvents = UNWATCHED,
  ) {}

  /** Whether the stream is open and the peer has answered it. */
  get open(): boolean {
    return this.answered;
  }

  /** Resolves with the values the peer accepted; rejects with its refusal, or at the deadline. */
  send(batch: Batch, deadlineMs: number): Promise<number> {
    if (this.closed)
      return Promise.reject(this.failure(grpc.status.UNAVAILABLE, 'this general is shutting down'));
    this.seq = (this.seq + 1) % SEQ_LIMIT;
    const envelope: BatchEnvelope = { seq: this.seq, batch: toWireBatch(batch) };
    return new Promise((resolve, reject) => {
      const seq = this.seq;
      const timer = setTimeout(() => {
        const pending = this.inFlight.get(seq);
        this.inFlight.delete(seq);
        reject(this.failure(grpc.status.DEADLINE_EXCEEDED, `no acknowledgement within ${deadlineMs} ms`));
        if (pending !== undefined && !pending.unwritten && this.answered && this.heardAt < pending.writtenAt)
          this.renew(`no acknowledgement and nothing heard for ${deadlineMs} ms`);
      }, deadlineMs);
      this.inFlight.set(seq, {
        envelope,
        resolve,
        reject,
        timer,
        unwritten: true,
        resent: false,
        writtenAt: 0,
      });
      this.flush();
    });
  }

  /** Opens the stream now if it is not open (nor about to reopen): a run should not pay for it. */
  connect(): void {
    if (this.stream === undefined && this.reopenTimer === undefined && !this.closed) this.openStream();
  }

  /** Writes what is not yet on the stream; waits while a broken stream pauses before reopening. */
  private flush(): void {
    this.connect();
    const stream = this.stream;
    if (stream === undefined) return;
    const now = performance.now();
    for (const pending of this.inFlight.values()) {
      if (!pending.unwritten) continue;
      pending.unwritten = false;
      pending.writtenAt = now;
      stream.write(pending.envelope);
    }
  }

  /** The address the current stream's connection reached ("10.0.1.5:50051"), once the peer answered. */
  get connectedTo(): string | undefined {
    return this.answered ? this.stream?.getPeer() : undefined;
  }

  /** Gives the current connection up, with its channel, and writes what is unacknowledged on a new one. */
  renew(why: string): void {
    const stream = this.stream;
    if (stream === undefined || this.closed) return;
    // Forgotten before it is cancelled, so that its cancellation is not taken for a second break.
    this.stream = undefined;
    stream.cancel();
    this.channel.renew();
    this.dropped(why, false);
  }

  private openStream(): void {
    const stream = this.channel.client().Exchange(waitForReadyMetadata());
    this.stream = stream;
    this.openedAt = Date.now();
    stream.on('metadata', () => {
      if (this.stream !== stream) return;
      this.heardAt = performance.now();
      this.answered = true;
      if (!this.broken) return;
      this.broken = false;
      this.events.back(`stream to general ${this.peer} reopened`, this.peer);
    });
    stream.on('data', (ack: BatchAck__Output) => {
      if (this.stream === stream) this.heardAt = performance.now();
      this.acknowledged(ack);
    });
    stream.on('error', (error: grpc.ServiceError) =>
      this.lost(stream, error.details || error.message, false),
    );
    stream.on('end', () => this.lost(stream, 'the peer ended the stream', true));
  }

  /** Ends the stream; whatever is still in flight fails now. */
  close(): void {
    this.closed = true;
    this.answered = false;
    clearTimeout(this.reopenTimer);
    const stream = this.stream;
    this.stream = undefined;
    stream?.cancel();
    for (const [seq, pending] of this.inFlight) {
      this.inFlight.delete(seq);
      clearTimeout(pending.timer);
      pending.reject(this.failure(grpc.status.CANCELLED, 'this general is shutting down'));
    }
  }

  private acknowledged(ack: BatchAck__Output): void {
    const pending = this.inFlight.get(ack.seq);
    if (pending === undefined) return; // past its deadline already
    this.inFlight.delete(ack.seq);
    clearTimeout(pending.timer);
    this.quickFailures = 0;
    if (ack.code === grpc.status.OK || (pending.resent && ack.code === grpc.status.ALREADY_EXISTS)) {
      pending.resolve(ack.accepted);
    } else {
      pending.reject(this.failure(ack.code, ack.details));
    }
  }

  private lost(
    stream: grpc.ClientDuplexStream<BatchEnvelope, BatchAck__Output>,
    why: string,
    graceful: boolean,
  ): void {
    if (this.stream !== stream) return;
    this.dropped(why, graceful);
  }

  /** The current stream is gone: reopen (after a pause if it keeps failing fast) and write again. */
  private dropped(why: string, graceful: boolean): void {
    this.stream = undefined;
    this.answered = false;
    if (this.closed) return;
    this.broken = true;
    this.events.broke(`stream to general ${this.peer} broke (${why}); reopening`, this.peer, graceful);
    const quick = Date.now() - this.openedAt < QUICK_FAILURE_MS;
    this.quickFailures = quick ? this.quickFailures + 1 : 0;
    const pause = quick ? Math.min(MAX_REOPEN_PAUSE_MS, 50 * 2 ** this.quickFailures) : 0;
    for (const pending of this.inFlight.values()) {
      pending.unwritten = true;
      pending.resent = true;
    }
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = undefined;
      this.flush();
    }, pause);
    this.reopenTimer.unref();
  }

  private failure(code: grpc.status, details: string): PeerCallError {
    return new PeerCallError(this.peer, 'Exchange', code, new Error(details));
  }
}
