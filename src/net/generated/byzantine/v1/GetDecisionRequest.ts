// Original file: proto/byzantine.proto

export interface GetDecisionRequest {
  runId?: string;
}

export interface GetDecisionRequest__Output {
  runId: string;
}
