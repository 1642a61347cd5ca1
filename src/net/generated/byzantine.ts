import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type {
  Batch as _byzantine_v1_Batch,
  Batch__Output as _byzantine_v1_Batch__Output,
} from './byzantine/v1/Batch.js';
import type {
  BatchAck as _byzantine_v1_BatchAck,
  BatchAck__Output as _byzantine_v1_BatchAck__Output,
} from './byzantine/v1/BatchAck.js';
import type {
  BatchEnvelope as _byzantine_v1_BatchEnvelope,
  BatchEnvelope__Output as _byzantine_v1_BatchEnvelope__Output,
} from './byzantine/v1/BatchEnvelope.js';
import type {
  GeneralClient as _byzantine_v1_GeneralClient,
  GeneralDefinition as _byzantine_v1_GeneralDefinition,
} from './byzantine/v1/General.js';
import type {
  GetDecisionRequest as _byzantine_v1_GetDecisionRequest,
  GetDecisionRequest__Output as _byzantine_v1_GetDecisionRequest__Output,
} from './byzantine/v1/GetDecisionRequest.js';
import type {
  GetDecisionResponse as _byzantine_v1_GetDecisionResponse,
  GetDecisionResponse__Output as _byzantine_v1_GetDecisionResponse__Output,
} from './byzantine/v1/GetDecisionResponse.js';
import type {
  GetTraceRequest as _byzantine_v1_GetTraceRequest,
  GetTraceRequest__Output as _byzantine_v1_GetTraceRequest__Output,
} from './byzantine/v1/GetTraceRequest.js';
import type {
  GetTraceResponse as _byzantine_v1_GetTraceResponse,
  GetTraceResponse__Output as _byzantine_v1_GetTraceResponse__Output,
} from './byzantine/v1/GetTraceResponse.js';
import type {
  PhaseReport as _byzantine_v1_PhaseReport,
  PhaseReport__Output as _byzantine_v1_PhaseReport__Output,
} from './byzantine/v1/PhaseReport.js';
import type {
  ResetLogRequest as _byzantine_v1_ResetLogRequest,
  ResetLogRequest__Output as _byzantine_v1_ResetLogRequest__Output,
} from './byzantine/v1/ResetLogRequest.js';
import type {
  ResetLogResponse as _byzantine_v1_ResetLogResponse,
  ResetLogResponse__Output as _byzantine_v1_ResetLogResponse__Output,
} from './byzantine/v1/ResetLogResponse.js';
import type {
  RoundReport as _byzantine_v1_RoundReport,
  RoundReport__Output as _byzantine_v1_RoundReport__Output,
} from './byzantine/v1/RoundReport.js';
import type {
  RunAlgorithmRequest as _byzantine_v1_RunAlgorithmRequest,
  RunAlgorithmRequest__Output as _byzantine_v1_RunAlgorithmRequest__Output,
} from './byzantine/v1/RunAlgorithmRequest.js';
import type {
  RunAlgorithmResponse as _byzantine_v1_RunAlgorithmResponse,
  RunAlgorithmResponse__Output as _byzantine_v1_RunAlgorithmResponse__Output,
} from './byzantine/v1/RunAlgorithmResponse.js';
import type {
  SendOrderResponse as _byzantine_v1_SendOrderResponse,
  SendOrderResponse__Output as _byzantine_v1_SendOrderResponse__Output,
} from './byzantine/v1/SendOrderResponse.js';
import type {
  SignedChain as _byzantine_v1_SignedChain,
  SignedChain__Output as _byzantine_v1_SignedChain__Output,
} from './byzantine/v1/SignedChain.js';
import type {
  Tally as _byzantine_v1_Tally,
  Tally__Output as _byzantine_v1_Tally__Output,
} from './byzantine/v1/Tally.js';
import type {
  TracedBatch as _byzantine_v1_TracedBatch,
  TracedBatch__Output as _byzantine_v1_TracedBatch__Output,
} from './byzantine/v1/TracedBatch.js';
import type {
  TracedLie as _byzantine_v1_TracedLie,
  TracedLie__Output as _byzantine_v1_TracedLie__Output,
} from './byzantine/v1/TracedLie.js';
import type {
  WatchRunRequest as _byzantine_v1_WatchRunRequest,
  WatchRunRequest__Output as _byzantine_v1_WatchRunRequest__Output,
} from './byzantine/v1/WatchRunRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new (...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  byzantine: {
    v1: {
      Algorithm: EnumTypeDefinition;
      Batch: MessageTypeDefinition<_byzantine_v1_Batch, _byzantine_v1_Batch__Output>;
      BatchAck: MessageTypeDefinition<_byzantine_v1_BatchAck, _byzantine_v1_BatchAck__Output>;
      BatchEnvelope: MessageTypeDefinition<_byzantine_v1_BatchEnvelope, _byzantine_v1_BatchEnvelope__Output>;
      General: SubtypeConstructor<typeof grpc.Client, _byzantine_v1_GeneralClient> & {
        service: _byzantine_v1_GeneralDefinition;
      };
      GetDecisionRequest: MessageTypeDefinition<
        _byzantine_v1_GetDecisionRequest,
        _byzantine_v1_GetDecisionRequest__Output
      >;
      GetDecisionResponse: MessageTypeDefinition<
        _byzantine_v1_GetDecisionResponse,
        _byzantine_v1_GetDecisionResponse__Output
      >;
      GetTraceRequest: MessageTypeDefinition<
        _byzantine_v1_GetTraceRequest,
        _byzantine_v1_GetTraceRequest__Output
      >;
      GetTraceResponse: MessageTypeDefinition<
        _byzantine_v1_GetTraceResponse,
        _byzantine_v1_GetTraceResponse__Output
      >;
      Order: EnumTypeDefinition;
      PhaseReport: MessageTypeDefinition<_byzantine_v1_PhaseReport, _byzantine_v1_PhaseReport__Output>;
      ResetLogRequest: MessageTypeDefinition<
        _byzantine_v1_ResetLogRequest,
        _byzantine_v1_ResetLogRequest__Output
      >;
      ResetLogResponse: MessageTypeDefinition<
        _byzantine_v1_ResetLogResponse,
        _byzantine_v1_ResetLogResponse__Output
      >;
      RoundReport: MessageTypeDefinition<_byzantine_v1_RoundReport, _byzantine_v1_RoundReport__Output>;
      RunAlgorithmRequest: MessageTypeDefinition<
        _byzantine_v1_RunAlgorithmRequest,
        _byzantine_v1_RunAlgorithmRequest__Output
      >;
      RunAlgorithmResponse: MessageTypeDefinition<
        _byzantine_v1_RunAlgorithmResponse,
        _byzantine_v1_RunAlgorithmResponse__Output
      >;
      SendOrderResponse: MessageTypeDefinition<
        _byzantine_v1_SendOrderResponse,
        _byzantine_v1_SendOrderResponse__Output
      >;
      SignedChain: MessageTypeDefinition<_byzantine_v1_SignedChain, _byzantine_v1_SignedChain__Output>;
      Tally: MessageTypeDefinition<_byzantine_v1_Tally, _byzantine_v1_Tally__Output>;
      TracedBatch: MessageTypeDefinition<_byzantine_v1_TracedBatch, _byzantine_v1_TracedBatch__Output>;
      TracedLie: MessageTypeDefinition<_byzantine_v1_TracedLie, _byzantine_v1_TracedLie__Output>;
      WatchRunRequest: MessageTypeDefinition<
        _byzantine_v1_WatchRunRequest,
        _byzantine_v1_WatchRunRequest__Output
      >;
    };
  };
}
