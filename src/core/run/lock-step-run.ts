import { DEFAULT_ORDER, type Order } from '../order.js';
import { COMMANDER, type Path } from '../paths.js';
import { isTraitor, valueToSend } from '../strategy.js';
import { type RoundSlot, Rounds } from './rounds.js';
import type { GeneralSpec, Step } from './types.js';

export const emptyStep = (): Step => ({ outbox: [], lies: [], completed: [] });

/**
 * One general's life in a run of rounds 0..t, shared by OM(t) and SM(t): the commander issues its
 * order and is done; a lieutenant closes each round once it is complete (or its deadline passed),
 * relays into the next, and decides after round t. What it relays and how it decides are the
 * algorithm's; so is what a batch must hold beyond the checks in Rounds.
 */
export abstract class LockStepRun<S extends RoundSlot> {
  protected readonly rounds: Rounds<S>;
  protected current = 0;
  protected decided: Order | undefined;
  protected lieCount = 0;

  constructor(
    readonly spec: GeneralSpec,
    slot: () => S,
  ) {
    if (spec.id === COMMANDER && spec.order === undefined) {
      throw new RangeError('the commander needs an order to issue');
    }
    this.rounds = new Rounds(spec, slot);
  }

  get isCommander(): boolean {
    return this.spec.id === COMMANDER;
  }

  get decision(): Order | undefined {
    return this.decided;
  }

  /** The round this general is waiting on; t+1 once it has decided. */
  get round(): number {
    return this.current;
  }

  get lies(): number {
    return this.lieCount;
  }

  /** Joins the run: the commander issues its order to each lieutenant (and is done). */
  start(): Step {
    const step = emptyStep();
    if (!this.isCommander) return step;
    const order = this.spec.order ?? DEFAULT_ORDER;
    for (let receiver = 1; receiver < this.spec.n; receiver++) this.issue(step, receiver, order);
    this.decided = order;
    this.current = this.spec.t + 1;
    return step;
  }

  /** The deadline of `round` passed: close it if it is still open; what is missing stays missing. */
  expire(round: number): Step {
    const step = emptyStep();
    if (round !== this.current || this.decided !== undefined) return step;
    this.rounds.slot(round).timedOut = true;
    step.completed.push(this.rounds.close(round));
    this.advance(step);
    return step;
  }

  /** Round 0, commander only: send `order` to lieutenant `receiver`. */
  protected abstract issue(step: Step, receiver: number, order: Order): void;

  /** Rounds 1..t: send what the rounds before taught this general. */
  protected abstract relay(step: Step, round: number): void;

  /** After round t: the decision. */
  protected abstract decide(): Order;

  /** Closes every round that is complete, relaying after each, and decides after round t. */
  protected advance(step: Step): void {
    while (this.decided === undefined) {
      if (!this.rounds.slot(this.current).closed) {
        if (!this.rounds.complete(this.current)) return;
        step.completed.push(this.rounds.close(this.current));
      }
      const next = this.current + 1;
      if (next > this.spec.t) {
        this.decided = this.decide();
        this.current = next;
        return;
      }
      this.relay(step, next);
      this.current = next;
    }
  }

  /**
   * What this general's strategy sends where a loyal general would send `before` (undefined:
   * nothing); a departure is recorded in `step` as a lie about `path`.
   */
  protected told(
    step: Step,
    at: { readonly round: number; readonly receiver: number; readonly index: number },
    before: Order,
    path: () => Path,
  ): Order | undefined {
    const { strategy, id } = this.spec;
    if (!isTraitor(strategy)) return before;
    const after = valueToSend(strategy, before, { sender: id, ...at });
    if (after !== before) {
      this.lieCount++;
      step.lies.push({ round: at.round, receiver: at.receiver, path: path(), before, after });
    }
    return after;
  }
}
