import { type Order, opposite } from './order.js';
import { draw } from './random.js';

/** How a general treats what it sends: DESIGN.md's table, the contract other parts rely on. */
export type Strategy =
  | { readonly kind: 'loyal' | 'equivocate' | 'flip' | 'silent' }
  | { readonly kind: 'random'; readonly seed: number };

export const LOYAL: Strategy = { kind: 'loyal' };
export const DETERMINISTIC_TRAITOR_STRATEGIES: readonly Strategy[] = [
  { kind: 'equivocate' },
  { kind: 'flip' },
  { kind: 'silent' },
];

export class StrategyParseError extends Error {
  override readonly name = 'StrategyParseError';
}

const SEED_PATTERN = /^random:(\d{1,10})$/;

/** Parses `loyal`, `equivocate`, `flip`, `silent` or `random:SEED` (SEED an integer below 2^32). */
export function parseStrategy(text: string): Strategy {
  const lower = text.trim().toLowerCase();
  if (lower === 'loyal' || lower === 'equivocate' || lower === 'flip' || lower === 'silent') {
    return { kind: lower };
  }
  const seeded = SEED_PATTERN.exec(lower);
  if (seeded?.[1] !== undefined) {
    const seed = Number(seeded[1]);
    if (seed <= 0xffffffff) return { kind: 'random', seed };
  }
  throw new StrategyParseError(
    `unknown strategy "${text}": expected loyal, equivocate, flip, silent or random:SEED (SEED an integer 0..4294967295)`,
  );
}

export function formatStrategy(strategy: Strategy): string {
  return strategy.kind === 'random' ? `random:${strategy.seed}` : strategy.kind;
}

export function isTraitor(strategy: Strategy): boolean {
  return strategy.kind !== 'loyal';
}

/** Where a value is going: enough to make every strategy a pure function. */
export interface SendContext {
  readonly sender: number;
  readonly receiver: number;
  readonly round: number;
  /** The value's index in its batch (canonical path order). */
  readonly index: number;
}

/**
 * What a general with this strategy sends when a loyal one would send `value`; `undefined` means
 * nothing is sent.
 */
export function valueToSend(strategy: Strategy, value: Order, to: SendContext): Order | undefined {
  switch (strategy.kind) {
    case 'loyal':
      return value;
    case 'equivocate':
      return to.receiver % 2 === 0 ? opposite(value) : value;
    case 'flip':
      return opposite(value);
    case 'silent':
      return undefined;
    case 'random':
      return draw(strategy.seed, to.sender, to.round, to.receiver, to.index) & 1 ? 'ATTACK' : 'RETREAT';
  }
}
