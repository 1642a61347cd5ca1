// Original file: proto/byzantine.proto

export interface RoundReport {
  round?: number;
  batchesExpected?: number;
  batchesReceived?: number;
  timedOut?: boolean;
  elapsedMs?: number | string;
}

export interface RoundReport__Output {
  round: number;
  batchesExpected: number;
  batchesReceived: number;
  timedOut: boolean;
  elapsedMs: number;
}
