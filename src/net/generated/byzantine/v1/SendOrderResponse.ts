// Original file: proto/byzantine.proto

export interface SendOrderResponse {
  accepted?: number;
}

export interface SendOrderResponse__Output {
  accepted: number;
}
