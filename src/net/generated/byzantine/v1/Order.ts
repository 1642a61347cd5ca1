// Original file: proto/byzantine.proto

export const Order = {
  /**
   * malformed or missing: read as RETREAT
   */
  ORDER_UNSPECIFIED: 0,
  ATTACK: 1,
  RETREAT: 2,
} as const;

export type Order =
  /**
   * malformed or missing: read as RETREAT
   */
  'ORDER_UNSPECIFIED' | 0 | 'ATTACK' | 1 | 'RETREAT' | 2;

export type Order__Output = (typeof Order)[keyof typeof Order];
