// Original file: proto/byzantine.proto

export type ResetLogRequest = {};

export type ResetLogRequest__Output = {};
