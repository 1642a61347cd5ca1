/**
 * A counter-based generator: the draw for a given (seed, coordinates) never depends on the order in
 * which messages are produced, so a `random:SEED` traitor replays exactly across processes.
 */
function mix32(input: number): number {
  let x = input >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x21f0aaad);
  x ^= x >>> 15;
  x = Math.imul(x, 0x735a2d97);
  x ^= x >>> 15;
  return x >>> 0;
}

/** A 32-bit draw for `seed` at the given coordinates. */
export function draw(seed: number, ...coordinates: number[]): number {
  let state = mix32(seed ^ 0x9e3779b9);
  for (const c of coordinates) state = mix32(state ^ mix32(c + 0x632be5ab));
  return state;
}
