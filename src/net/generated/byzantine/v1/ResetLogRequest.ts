// Original file: proto/byzantine.proto

import type {
  ControlAuth as _byzantine_v1_ControlAuth,
  ControlAuth__Output as _byzantine_v1_ControlAuth__Output,
} from '../../byzantine/v1/ControlAuth.js';

export interface ResetLogRequest {
  /**
   * as for RunAlgorithm
   */
  auth?: _byzantine_v1_ControlAuth | null;
}

export interface ResetLogRequest__Output {
  /**
   * as for RunAlgorithm
   */
  auth: _byzantine_v1_ControlAuth__Output | null;
}
