import * as grpc from '@grpc/grpc-js';
import type { Identity } from '../auth/identity.js';
import type { Batch__Output } from './generated/byzantine/v1/Batch.js';
import type { BatchAck } from './generated/byzantine/v1/BatchAck.js';
import type { BatchEnvelope__Output } from './generated/byzantine/v1/BatchEnvelope.js';
import { callerIdentity } from './transport-security.js';

/** What became of one batch: a gRPC status code (0 accepted), why, and how many values went in. */
export interface Intake {
  readonly code: grpc.status;
  readonly details: string;
  readonly accepted: number;
}

export type TakeBatch = (batch: Batch__Output, caller: Identity | undefined) => Intake;

/**
 * The receiving end of the peers' Exchange streams. The caller's identity is read once, when the
 * stream opens (the certificate of its connection), and every batch on it is judged against it;
 * each is answered on the stream with its seq. Open streams are kept so that shutdown can end them:
 * they are meant to outlive runs, and would otherwise hold a graceful shutdown until it is forced.
 */
export class ExchangeService {
  private readonly open = new Set<grpc.ServerDuplexStream<BatchEnvelope__Output, BatchAck>>();

  constructor(
    private readonly take: TakeBatch,
    private readonly authenticated: boolean,
  ) {}

  readonly handler: grpc.handleBidiStreamingCall<BatchEnvelope__Output, BatchAck> = (call) => {
    const caller = this.authenticated ? callerIdentity(call) : undefined;
    this.open.add(call);
    // Headers at once: the peer learns its stream is open end to end before its first batch.
    call.sendMetadata(new grpc.Metadata());
    const forget = () => this.open.delete(call);
    call.on('data', (envelope: BatchEnvelope__Output) => {
      const intake: Intake =
        envelope.batch === null
          ? { code: grpc.status.INVALID_ARGUMENT, details: 'an envelope without a batch', accepted: 0 }
          : this.take(envelope.batch, caller);
      call.write({ seq: envelope.seq, ...intake });
    });
    call.on('end', () => {
      forget();
      call.end();
    });
    // The peer went away (its process ended, its machine was lost): it reopens when it can.
    call.on('error', forget);
    call.on('cancelled', forget);
  };

  /** Streams from peers open now. */
  get streamsOpen(): number {
    return this.open.size;
  }

  /** Ends every open stream: the peers see it end and reopen to another run of this general. */
  endAll(): void {
    for (const call of this.open) call.end();
    this.open.clear();
  }
}
