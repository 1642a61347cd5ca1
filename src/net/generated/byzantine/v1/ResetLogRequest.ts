// Original file: proto/byzantine.proto

export interface ResetLogRequest {}

export interface ResetLogRequest__Output {}
