// Original file: proto/byzantine.proto

export interface GetTraceRequest {
  runId?: string;
}

export interface GetTraceRequest__Output {
  runId: string;
}
