import type { Order } from '../core/order.js';

/**
 * OM batches are mostly values: n=31, t=3 sends 756 in each of its largest batches. On the wire
 * each is one bit, value i in bit i%8 (least significant first) of byte i/8, 1 for ATTACK; a
 * repeated enum would cost a byte or more each.
 */
export function packValues(values: readonly Order[]): Uint8Array {
  const bytes = new Uint8Array((values.length + 7) >> 3);
  for (let i = 0; i < values.length; i++) {
    if (values[i] === 'ATTACK') bytes[i >> 3] = (bytes[i >> 3] ?? 0) | (1 << (i & 7));
  }
  return bytes;
}

/**
 * The `count` values packed in `bytes`; undefined when the bytes cannot hold exactly that many (too
 * few or too many bytes, or bits set past the last value), so a malformed batch is refused whole.
 */
export function unpackValues(bytes: Uint8Array, count: number): Order[] | undefined {
  if (bytes.length !== (count + 7) >> 3) return undefined;
  const spare = count & 7;
  if (spare !== 0 && (bytes[bytes.length - 1] ?? 0) >> spare !== 0) return undefined;
  const values = new Array<Order>(count);
  for (let i = 0; i < count; i++) {
    values[i] = ((bytes[i >> 3] ?? 0) >> (i & 7)) & 1 ? 'ATTACK' : 'RETREAT';
  }
  return values;
}
