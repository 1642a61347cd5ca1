/**
 * Exact arithmetic for expectations, written independently of src/core so that tests compare the
 * implementation against numbers derived by hand, not against itself.
 */

/** k(k-1)...(k-count+1): ordered picks of `count` distinct items from `k`. */
export function fallingFactorial(k: number, count: number): number {
  if (count > k) return 0;
  let product = 1;
  for (let i = 0; i < count; i++) product *= k - i;
  return product;
}

export function binomial(k: number, count: number): number {
  if (count < 0 || count > k) return 0;
  return fallingFactorial(k, count) / fallingFactorial(count, count);
}

/** Every subset of `items` with exactly `size` members, each in ascending order. */
export function subsetsOfSize(items: readonly number[], size: number): number[][] {
  if (size === 0) return [[]];
  const out: number[][] = [];
  items.forEach((first, i) => {
    for (const rest of subsetsOfSize(items.slice(i + 1), size - 1)) out.push([first, ...rest]);
  });
  return out;
}

/** Every assignment of one of `choices` to each of `slots` positions (choices^slots of them). */
export function assignments<T>(choices: readonly T[], slots: number): T[][] {
  let out: T[][] = [[]];
  for (let s = 0; s < slots; s++) out = out.flatMap((prefix) => choices.map((c) => [...prefix, c]));
  return out;
}

export function range(from: number, toExclusive: number): number[] {
  const out: number[] = [];
  for (let i = from; i < toExclusive; i++) out.push(i);
  return out;
}
