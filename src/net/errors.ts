import type * as grpc from '@grpc/grpc-js';

/**
 * A gRPC failure with an explicit status and details, for handlers to return; `reason`, a short
 * name for why (e.g. `not-the-client`), is what the logs and metrics call it, the status's name
 * when absent.
 */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  readonly reason: string | undefined;
  constructor(
    readonly code: grpc.status,
    readonly details: string,
    options?: ErrorOptions & { readonly reason?: string },
  ) {
    super(details, options);
    this.reason = options?.reason;
  }

  toServiceError(): Partial<grpc.ServiceError> {
    return { code: this.code, details: this.details, message: this.details };
  }
}

/** A peer that could not be reached or answered with an error. */
export class PeerCallError extends Error {
  override readonly name = 'PeerCallError';
  constructor(
    readonly peer: number,
    readonly method: string,
    readonly code: grpc.status | undefined,
    cause: unknown,
  ) {
    const what = cause instanceof Error ? cause.message : String(cause);
    super(`general ${peer}: ${method} failed: ${what}`, { cause });
  }
}

/** Generals that could not be reached (or refused the client), each with why: exit status 3. */
export class GeneralsUnreachableError extends Error {
  override readonly name = 'GeneralsUnreachableError';
  constructor(readonly failures: ReadonlyMap<number, string>) {
    const list = [...failures].map(([id, why]) => `general ${id} (${why})`).join('; ');
    super(`could not reach ${failures.size} general(s): ${list}`);
  }
}

/** The general could not bind its address (a port in use, say): a clean message, not a stack. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
}
