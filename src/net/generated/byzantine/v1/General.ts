// Original file: proto/byzantine.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  Batch as _byzantine_v1_Batch,
  Batch__Output as _byzantine_v1_Batch__Output,
} from '../../byzantine/v1/Batch.js';
import type {
  BatchAck as _byzantine_v1_BatchAck,
  BatchAck__Output as _byzantine_v1_BatchAck__Output,
} from '../../byzantine/v1/BatchAck.js';
import type {
  BatchEnvelope as _byzantine_v1_BatchEnvelope,
  BatchEnvelope__Output as _byzantine_v1_BatchEnvelope__Output,
} from '../../byzantine/v1/BatchEnvelope.js';
import type {
  GetDecisionRequest as _byzantine_v1_GetDecisionRequest,
  GetDecisionRequest__Output as _byzantine_v1_GetDecisionRequest__Output,
} from '../../byzantine/v1/GetDecisionRequest.js';
import type {
  GetDecisionResponse as _byzantine_v1_GetDecisionResponse,
  GetDecisionResponse__Output as _byzantine_v1_GetDecisionResponse__Output,
} from '../../byzantine/v1/GetDecisionResponse.js';
import type {
  GetTraceRequest as _byzantine_v1_GetTraceRequest,
  GetTraceRequest__Output as _byzantine_v1_GetTraceRequest__Output,
} from '../../byzantine/v1/GetTraceRequest.js';
import type {
  GetTraceResponse as _byzantine_v1_GetTraceResponse,
  GetTraceResponse__Output as _byzantine_v1_GetTraceResponse__Output,
} from '../../byzantine/v1/GetTraceResponse.js';
import type {
  ResetLogRequest as _byzantine_v1_ResetLogRequest,
  ResetLogRequest__Output as _byzantine_v1_ResetLogRequest__Output,
} from '../../byzantine/v1/ResetLogRequest.js';
import type {
  ResetLogResponse as _byzantine_v1_ResetLogResponse,
  ResetLogResponse__Output as _byzantine_v1_ResetLogResponse__Output,
} from '../../byzantine/v1/ResetLogResponse.js';
import type {
  RoundReport as _byzantine_v1_RoundReport,
  RoundReport__Output as _byzantine_v1_RoundReport__Output,
} from '../../byzantine/v1/RoundReport.js';
import type {
  RunAlgorithmRequest as _byzantine_v1_RunAlgorithmRequest,
  RunAlgorithmRequest__Output as _byzantine_v1_RunAlgorithmRequest__Output,
} from '../../byzantine/v1/RunAlgorithmRequest.js';
import type {
  RunAlgorithmResponse as _byzantine_v1_RunAlgorithmResponse,
  RunAlgorithmResponse__Output as _byzantine_v1_RunAlgorithmResponse__Output,
} from '../../byzantine/v1/RunAlgorithmResponse.js';
import type {
  SendOrderResponse as _byzantine_v1_SendOrderResponse,
  SendOrderResponse__Output as _byzantine_v1_SendOrderResponse__Output,
} from '../../byzantine/v1/SendOrderResponse.js';
import type {
  WatchRunRequest as _byzantine_v1_WatchRunRequest,
  WatchRunRequest__Output as _byzantine_v1_WatchRunRequest__Output,
} from '../../byzantine/v1/WatchRunRequest.js';

export interface GeneralClient extends grpc.Client {
  /**
   * The long-lived stream a general keeps to each peer, across runs: each message one batch from
   * the caller, each answered on the stream by an acknowledgement with the same seq.
   */
  Exchange(
    metadata: grpc.Metadata,
    options?: grpc.CallOptions,
  ): grpc.ClientDuplexStream<_byzantine_v1_BatchEnvelope, _byzantine_v1_BatchAck__Output>;
  Exchange(
    options?: grpc.CallOptions,
  ): grpc.ClientDuplexStream<_byzantine_v1_BatchEnvelope, _byzantine_v1_BatchAck__Output>;
  /**
   * The long-lived stream a general keeps to each peer, across runs: each message one batch from
   * the caller, each answered on the stream by an acknowledgement with the same seq.
   */
  exchange(
    metadata: grpc.Metadata,
    options?: grpc.CallOptions,
  ): grpc.ClientDuplexStream<_byzantine_v1_BatchEnvelope, _byzantine_v1_BatchAck__Output>;
  exchange(
    options?: grpc.CallOptions,
  ): grpc.ClientDuplexStream<_byzantine_v1_BatchEnvelope, _byzantine_v1_BatchAck__Output>;

  /**
   * Waits (until the call's deadline) for the general to decide in run `run_id`.
   */
  GetDecision(
    argument: _byzantine_v1_GetDecisionRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_byzantine_v1_GetDecisionResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetDecision(
    argument: _byzantine_v1_GetDecisionRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_byzantine_v1_GetDecisionResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetDecision(
    argument: _byzantine_v1_GetDecisionRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_byzantine_v1_GetDecisionResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetDecision(
    argument: _byzantine_v1_GetDecisionRequest,
    callback: grpc.requestCallback<_byzantine_v1_GetDecisionResponse__Output>,
  ): grpc.ClientUnaryCall;
  /**
   * Waits (until the call's deadline) for the general to decide in run `run_id`.
   */
  getDecision(
    argument: _byzantine_v1_GetDecisionRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_byzantine_v1_GetDecisionResponse__Output>,
  ): grpc.ClientUnaryCall;
  getDecision(
    argument: _byzantine_v1_GetDecisionRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_byzantine_v1_GetDecisionResponse__Output>,
  ): grpc.ClientUnaryCall;
  getDecision(
    argument: _byzantine_v1_GetDecisionRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_byzantine_v1_GetDecisionResponse__Output>,
  ): grpc.ClientUnaryCall;
  getDecision(
    argument: _byzantine_v1_GetDecisionRequest,
    callback: grpc.requestCallback<_byzantine_v1_GetDecisionResponse__Output>,
  ): grpc.ClientUnaryCall;

  /**
   * Run `run_id` as this general saw it, for a report: every batch it received (or refused) and
   * every lie it told. Answers at once with what the general holds so far.
   */
  GetTrace(
    argument: _byzantine_v1_GetTraceRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_byzantine_v1_GetTraceResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetTrace(
    argument: _byzantine_v1_GetTraceRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_byzantine_v1_GetTraceResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetTrace(
    argument: _byzantine_v1_GetTraceRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_byzantine_v1_GetTraceResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetTrace(
    argument: _byzantine_v1_GetTraceRequest,
    callback: grpc.requestCallback<_byzantine_v1_GetTraceResponse__Output>,
  ): grpc.ClientUnaryCall;
  /**
   * Run `run_id` as this general saw it, for a report: every batch it received (or refused) and
   * every lie it told. Answers at once with what the general holds so far.
   */
  getTrace(
    argument: _byzantine_v1_GetTraceRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_byzantine_v1_GetTraceResponse__Output>,
  ): grpc.ClientUnaryCall;
  getTrace(
    argument: _byzantine_v1_GetTraceRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_byzantine_v1_GetTraceResponse__Output>,
  ): grpc.ClientUnaryCall;
  getTrace(
    argument: _byzantine_v1_GetTraceRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_byzantine_v1_GetTraceResponse__Output>,
  ): grpc.ClientUnaryCall;
  getTrace(
    argument: _byzantine_v1_GetTraceRequest,
    callback: grpc.requestCallback<_byzantine_v1_GetTraceResponse__Output>,
  ): grpc.ClientUnaryCall;

  /**
   * Truncates the general's logs.
   */
  ResetLog(
    argument: _byzantine_v1_ResetLogRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_byzantine_v1_ResetLogResponse__Output>,
  ): grpc.ClientUnaryCall;
  ResetLog(
    argument: _byzantine_v1_ResetLogRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_byzantine_v1_ResetLogResponse__Output>,
  ): grpc.ClientUnaryCall;
  ResetLog(
    argument: _byzantine_v1_ResetLogRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_byzantine_v1_ResetLogResponse__Output>,
  ): grpc.ClientUnaryCall;
  ResetLog(
    argument: _byzantine_v1_ResetLogRequest,
    callback: grpc.requestCallback<_byzantine_v1_ResetLogResponse__Output>,
  ): grpc.ClientUnaryCall;
  /**
   * Truncates the general's logs.
   */
  resetLog(
    argument: _byzantine_v1_ResetLogRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_byzantine_v1_ResetLogResponse__Output>,
  ): grpc.ClientUnaryCall;
  resetLog(
    argument: _byzantine_v1_ResetLogRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_byzantine_v1_ResetLogResponse__Output>,
  ): grpc.ClientUnaryCall;
  resetLog(
    argument: _byzantine_v1_ResetLogRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_byzantine_v1_ResetLogResponse__Output>,
  ): grpc.ClientUnaryCall;
  resetLog(
    argument: _byzantine_v1_ResetLogRequest,
    callback: grpc.requestCallback<_byzantine_v1_ResetLogResponse__Output>,
  ): grpc.ClientUnaryCall;

  /**
   * Join run `run_id`. The client calls every lieutenant first, then the commander, whose
   * request alone carries the order to issue.
   */
  RunAlgorithm(
    argument: _byzantine_v1_RunAlgorithmRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_byzantine_v1_RunAlgorithmResponse__Output>,
  ): grpc.ClientUnaryCall;
  RunAlgorithm(
    argument: _byzantine_v1_RunAlgorithmRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_byzantine_v1_RunAlgorithmResponse__Output>,
  ): grpc.ClientUnaryCall;
  RunAlgorithm(
    argument: _byzantine_v1_RunAlgorithmRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_byzantine_v1_RunAlgorithmResponse__Output>,
  ): grpc.ClientUnaryCall;
  RunAlgorithm(
    argument: _byzantine_v1_RunAlgorithmRequest,
    callback: grpc.requestCallback<_byzantine_v1_RunAlgorithmResponse__Output>,
  ): grpc.ClientUnaryCall;
  /**
   * Join run `run_id`. The client calls every lieutenant first, then the commander, whose
   * request alone carries the order to issue.
   */
  runAlgorithm(
    argument: _byzantine_v1_RunAlgorithmRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_byzantine_v1_RunAlgorithmResponse__Output>,
  ): grpc.ClientUnaryCall;
  runAlgorithm(
    argument: _byzantine_v1_RunAlgorithmRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_byzantine_v1_RunAlgorithmResponse__Output>,
  ): grpc.ClientUnaryCall;
  runAlgorithm(
    argument: _byzantine_v1_RunAlgorithmRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_byzantine_v1_RunAlgorithmResponse__Output>,
  ): grpc.ClientUnaryCall;
  runAlgorithm(
    argument: _byzantine_v1_RunAlgorithmRequest,
    callback: grpc.requestCallback<_byzantine_v1_RunAlgorithmResponse__Output>,
  ): grpc.ClientUnaryCall;

  /**
   * One batch, as a unary call: for tools and other clients. Generals send theirs on Exchange.
   */
  SendOrder(
    argument: _byzantine_v1_Batch,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_byzantine_v1_SendOrderResponse__Output>,
  ): grpc.ClientUnaryCall;
  SendOrder(
    argument: _byzantine_v1_Batch,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_byzantine_v1_SendOrderResponse__Output>,
  ): grpc.ClientUnaryCall;
  SendOrder(
    argument: _byzantine_v1_Batch,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_byzantine_v1_SendOrderResponse__Output>,
  ): grpc.ClientUnaryCall;
  SendOrder(
    argument: _byzantine_v1_Batch,
    callback: grpc.requestCallback<_byzantine_v1_SendOrderResponse__Output>,
  ): grpc.ClientUnaryCall;
  /**
   * One batch, as a unary call: for tools and other clients. Generals send theirs on Exchange.
   */
  sendOrder(
    argument: _byzantine_v1_Batch,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_byzantine_v1_SendOrderResponse__Output>,
  ): grpc.ClientUnaryCall;
  sendOrder(
    argument: _byzantine_v1_Batch,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_byzantine_v1_SendOrderResponse__Output>,
  ): grpc.ClientUnaryCall;
  sendOrder(
    argument: _byzantine_v1_Batch,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_byzantine_v1_SendOrderResponse__Output>,
  ): grpc.ClientUnaryCall;
  sendOrder(
    argument: _byzantine_v1_Batch,
    callback: grpc.requestCallback<_byzantine_v1_SendOrderResponse__Output>,
  ): grpc.ClientUnaryCall;

  /**
   * A RoundReport each time this general closes a round of run `run_id` (those already closed
   * first); the stream ends once the general has decided. For live progress.
   */
  WatchRun(
    argument: _byzantine_v1_WatchRunRequest,
    metadata: grpc.Metadata,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_byzantine_v1_RoundReport__Output>;
  WatchRun(
    argument: _byzantine_v1_WatchRunRequest,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_byzantine_v1_RoundReport__Output>;
  /**
   * A RoundReport each time this general closes a round of run `run_id` (those already closed
   * first); the stream ends once the general has decided. For live progress.
   */
  watchRun(
    argument: _byzantine_v1_WatchRunRequest,
    metadata: grpc.Metadata,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_byzantine_v1_RoundReport__Output>;
  watchRun(
    argument: _byzantine_v1_WatchRunRequest,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_byzantine_v1_RoundReport__Output>;
}

export interface GeneralHandlers extends grpc.UntypedServiceImplementation {
  /**
   * The long-lived stream a general keeps to each peer, across runs: each message one batch from
   * the caller, each answered on the stream by an acknowledgement with the same seq.
   */
  Exchange: grpc.handleBidiStreamingCall<_byzantine_v1_BatchEnvelope__Output, _byzantine_v1_BatchAck>;

  /**
   * Waits (until the call's deadline) for the general to decide in run `run_id`.
   */
  GetDecision: grpc.handleUnaryCall<
    _byzantine_v1_GetDecisionRequest__Output,
    _byzantine_v1_GetDecisionResponse
  >;

  /**
   * Run `run_id` as this general saw it, for a report: every batch it received (or refused) and
   * every lie it told. Answers at once with what the general holds so far.
   */
  GetTrace: grpc.handleUnaryCall<_byzantine_v1_GetTraceRequest__Output, _byzantine_v1_GetTraceResponse>;

  /**
   * Truncates the general's logs.
   */
  ResetLog: grpc.handleUnaryCall<_byzantine_v1_ResetLogRequest__Output, _byzantine_v1_ResetLogResponse>;

  /**
   * Join run `run_id`. The client calls every lieutenant first, then the commander, whose
   * request alone carries the order to issue.
   */
  RunAlgorithm: grpc.handleUnaryCall<
    _byzantine_v1_RunAlgorithmRequest__Output,
    _byzantine_v1_RunAlgorithmResponse
  >;

  /**
   * One batch, as a unary call: for tools and other clients. Generals send theirs on Exchange.
   */
  SendOrder: grpc.handleUnaryCall<_byzantine_v1_Batch__Output, _byzantine_v1_SendOrderResponse>;

  /**
   * A RoundReport each time this general closes a round of run `run_id` (those already closed
   * first); the stream ends once the general has decided. For live progress.
   */
  WatchRun: grpc.handleServerStreamingCall<_byzantine_v1_WatchRunRequest__Output, _byzantine_v1_RoundReport>;
}

export interface GeneralDefinition extends grpc.ServiceDefinition {
  Exchange: MethodDefinition<
    _byzantine_v1_BatchEnvelope,
    _byzantine_v1_BatchAck,
    _byzantine_v1_BatchEnvelope__Output,
    _byzantine_v1_BatchAck__Output
  >;
  GetDecision: MethodDefinition<
    _byzantine_v1_GetDecisionRequest,
    _byzantine_v1_GetDecisionResponse,
    _byzantine_v1_GetDecisionRequest__Output,
    _byzantine_v1_GetDecisionResponse__Output
  >;
  GetTrace: MethodDefinition<
    _byzantine_v1_GetTraceRequest,
    _byzantine_v1_GetTraceResponse,
    _byzantine_v1_GetTraceRequest__Output,
    _byzantine_v1_GetTraceResponse__Output
  >;
  ResetLog: MethodDefinition<
    _byzantine_v1_ResetLogRequest,
    _byzantine_v1_ResetLogResponse,
    _byzantine_v1_ResetLogRequest__Output,
    _byzantine_v1_ResetLogResponse__Output
  >;
  RunAlgorithm: MethodDefinition<
    _byzantine_v1_RunAlgorithmRequest,
    _byzantine_v1_RunAlgorithmResponse,
    _byzantine_v1_RunAlgorithmRequest__Output,
    _byzantine_v1_RunAlgorithmResponse__Output
  >;
  SendOrder: MethodDefinition<
    _byzantine_v1_Batch,
    _byzantine_v1_SendOrderResponse,
    _byzantine_v1_Batch__Output,
    _byzantine_v1_SendOrderResponse__Output
  >;
  WatchRun: MethodDefinition<
    _byzantine_v1_WatchRunRequest,
    _byzantine_v1_RoundReport,
    _byzantine_v1_WatchRunRequest__Output,
    _byzantine_v1_RoundReport__Output
  >;
}
