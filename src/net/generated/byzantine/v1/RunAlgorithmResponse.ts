// Original file: proto/byzantine.proto

export interface RunAlgorithmResponse {
  id?: number;
  runId?: string;
  /**
   * the deadline this general applies to each round of the run
   */
  roundTimeoutMs?: number;
}

export interface RunAlgorithmResponse__Output {
  id: number;
  runId: string;
  /**
   * the deadline this general applies to each round of the run
   */
  roundTimeoutMs: number;
}
