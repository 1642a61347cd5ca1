// Original file: proto/byzantine.proto

export interface Tally {
  attack?: number;
  retreat?: number;
}

export interface Tally__Output {
  attack: number;
  retreat: number;
}
