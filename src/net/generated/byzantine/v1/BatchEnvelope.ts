// Original file: proto/byzantine.proto

import type {
  Batch as _byzantine_v1_Batch,
  Batch__Output as _byzantine_v1_Batch__Output,
} from '../../byzantine/v1/Batch.js';

export interface BatchEnvelope {
  /**
   * the sender's number for this message on this stream, echoed by its BatchAck
   */
  seq?: number;
  batch?: _byzantine_v1_Batch | null;
}

export interface BatchEnvelope__Output {
  /**
   * the sender's number for this message on this stream, echoed by its BatchAck
   */
  seq: number;
  batch: _byzantine_v1_Batch__Output | null;
}
