// Original file: proto/byzantine.proto

export const Algorithm = {
  /**
   * read as OM
   */
  ALGORITHM_UNSPECIFIED: 0,
  OM: 1,
  SM: 2,
  /**
   * Berman, Garay and Perry's phase king: t+1 phases of three rounds, n > 3t
   */
  KING: 3,
} as const;

export type Algorithm =
  /**
   * read as OM
   */
  | 'ALGORITHM_UNSPECIFIED'
  | 0
  | 'OM'
  | 1
  | 'SM'
  | 2
  /**
   * Berman, Garay and Perry's phase king: t+1 phases of three rounds, n > 3t
   */
  | 'KING'
  | 3;

export type Algorithm__Output = (typeof Algorithm)[keyof typeof Algorithm];
