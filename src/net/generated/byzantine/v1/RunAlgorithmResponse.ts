// Original file: proto/byzantine.proto

export interface RunAlgorithmResponse {
  id?: number;
  runId?: string;
}

export interface RunAlgorithmResponse__Output {
  id: number;
  runId: string;
}
