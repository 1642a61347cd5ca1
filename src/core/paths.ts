/**
 * EIG paths: a path is the chain of generals a value passed through, starting at the commander (0).
 * Sender and receiver both enumerate paths in the same canonical order (lexicographic by id), so
 * a batch on the wire carries only values.
 */
export type Path = readonly number[];

export const COMMANDER = 0;

export function pathKey(path: Path): string {
  return path.join('.');
}

/**
 * Every path of `length` (>= 1) that starts at the commander, has distinct ids below n, and avoids
 * `excluded`; in lexicographic order.
 */
export function pathsOfLength(n: number, length: number, excluded: ReadonlySet<number>): Path[] {
  const out: number[][] = [];
  if (length < 1 || excluded.has(COMMANDER)) return out;
  const prefix: number[] = [COMMANDER];
  const used = new Set<number>([COMMANDER]);
  const extend = (): void => {
    if (prefix.length === length) {
      out.push(prefix.slice());
      return;
    }
    for (let id = 1; id < n; id++) {
      if (used.has(id) || excluded.has(id)) continue;
      prefix.push(id);
      used.add(id);
      extend();
      used.delete(id);
      prefix.pop();
    }
  };
  extend();
  return out;
}

/** Falling factorial k(k-1)...(k-count+1): the number of ordered picks of `count` from `k`. */
export function arrangements(k: number, count: number): number {
  let product = 1;
  for (let i = 0; i < count; i++) product *= k - i;
  return count <= k ? product : 0;
}
