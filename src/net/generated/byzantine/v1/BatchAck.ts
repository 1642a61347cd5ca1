// Original file: proto/byzantine.proto

export interface BatchAck {
  seq?: number;
  /**
   * a gRPC status code: 0 accepted, else why it was refused (as SendOrder would fail)
   */
  code?: number;
  details?: string;
  /**
   * values accepted
   */
  accepted?: number;
}

export interface BatchAck__Output {
  seq: number;
  /**
   * a gRPC status code: 0 accepted, else why it was refused (as SendOrder would fail)
   */
  code: number;
  details: string;
  /**
   * values accepted
   */
  accepted: number;
}
