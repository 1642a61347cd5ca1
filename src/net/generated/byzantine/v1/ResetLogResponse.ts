// Original file: proto/byzantine.proto

export interface ResetLogResponse {
  truncated?: string[];
}

export interface ResetLogResponse__Output {
  truncated: string[];
}
