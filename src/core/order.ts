/** The two orders a general can act on. RETREAT is the default for anything missing or malformed. */
export const Order = { ATTACK: 'ATTACK', RETREAT: 'RETREAT' } as const;
export type Order = (typeof Order)[keyof typeof Order];

export const DEFAULT_ORDER: Order = Order.RETREAT;

export function isOrder(value: unknown): value is Order {
  return value === Order.ATTACK || value === Order.RETREAT;
}

export function opposite(order: Order): Order {
  return order === Order.ATTACK ? Order.RETREAT : Order.ATTACK;
}

export interface Tally {
  attack: number;
  retreat: number;
}

export function tallyOf(orders: Iterable<Order>): Tally {
  const tally = { attack: 0, retreat: 0 };
  for (const order of orders) {
    if (order === Order.ATTACK) tally.attack++;
    else tally.retreat++;
  }
  return tally;
}

/** One letter per value, A or R: how logs and traces write a batch compactly. */
export function lettersOf(values: readonly Order[]): string {
  let out = '';
  for (const v of values) out += v === Order.ATTACK ? 'A' : 'R';
  return out;
}

/** Strict majority; a tie falls back to RETREAT, as in Lamport, Shostak and Pease. */
export function majority(tally: Tally): Order {
  return tally.attack > tally.retreat ? Order.ATTACK : Order.RETREAT;
}
