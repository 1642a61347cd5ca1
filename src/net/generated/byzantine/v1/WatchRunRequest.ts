// Original file: proto/byzantine.proto

export interface WatchRunRequest {
  runId?: string;
}

export interface WatchRunRequest__Output {
  runId: string;
}
