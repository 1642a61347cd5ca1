// Original file: proto/byzantine.proto

export const Algorithm = {
  /**
   * read as OM
   */
  ALGORITHM_UNSPECIFIED: 0,
  OM: 1,
  SM: 2,
} as const;

export type Algorithm =
  /**
   * read as OM
   */
  'ALGORITHM_UNSPECIFIED' | 0 | 'OM' | 1 | 'SM' | 2;

export type Algorithm__Output = (typeof Algorithm)[keyof typeof Algorithm];
