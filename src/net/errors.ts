import type * as grpc from '@grpc/grpc-js';

/** A gRPC failure with an explicit status and details, for handlers to return. */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  constructor(
    readonly code: grpc.status,
    readonly details: string,
    options?: ErrorOptions,
  ) {
    super(details, options);
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
