import { type Algorithm, lastRoundOf } from '../../src/core/algorithm.js';
import { batchSize } from '../../src/core/om/counts.js';

/** A run id as the client makes them (run-<time>-<hex>): every real batch carries one. */
const RUN_ID_BYTES = 19;
/** One link of an SM chain on the wire: its signer and its Ed25519 signature, with framing. */
const CHAIN_LINK_BYTES = 68;

/**
 * The bytes each batch of round r carries in an all-loyal run, so that the floor sends what the
 * generals send: OM's values packed as bits; under SM the commander's signed order in round 0,
 * each lieutenant's one relay of it (two signatures) in round 1, and empty batches after; under
 * King one value each (a propose round carries one too when all are loyal).
 */
export function floorPayloads(algorithm: Algorithm, n: number, t: number): number[] {
  if (algorithm === 'king') return Array.from({ length: lastRoundOf('king', t) + 1 }, () => RUN_ID_BYTES + 1);
  return Array.from({ length: t + 1 }, (_, round) => {
    if (algorithm === 'om') return RUN_ID_BYTES + Math.ceil(batchSize(n, round) / 8);
    if (round <= 1) return RUN_ID_BYTES + 1 + (round + 1) * CHAIN_LINK_BYTES;
    return RUN_ID_BYTES;
  });
}
