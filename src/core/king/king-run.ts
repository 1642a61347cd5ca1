import { DEFAULT_ORDER, type Order, type Tally } from '../order.js';
import type { Path } from '../paths.js';
import { emptyStep, LockStepRun } from '../run/lock-step-run.js';
import { type RoundSlot, reject } from '../run/rounds.js';
import {
  type Batch,
  type GeneralSpec,
  type KingConclusion,
  KingRoundKind,
  type PhaseRecord,
  type ProtocolRun,
  type Rejection,
  type Step,
} from '../run/types.js';
import { kingMessagesTo } from './counts.js';
import { kingOf, phaseOf, roundKind } from './phases.js';
import { kingSchedule } from './schedule.js';

interface RoundState extends RoundSlot {
  /** value(v) or propose(v) messages received, by value; propose(none) counts for neither. */
  attack: number;
  retreat: number;
  /** The one message of round 0 (the order) or of a king round (the king's x), as it arrived. */
  heard: Order | undefined;
}

/** What is known of the phase under way, until its king round closes. */
interface PhaseDraft {
  start: Order;
  values: Tally;
  proposal: Order | null;
  proposals: Tally;
}

const count = (tally: Tally, value: Order | null): Tally =>
  value === null
    ? tally
    : {
        attack: tally.attack + (value === 'ATTACK' ? 1 : 0),
        retreat: tally.retreat + (value === 'RETREAT' ? 1 : 0),
      };

/**
 * One general's part in one run of the King algorithm (Berman, Garay and Perry 1989), for n > 3t,
 * on the shared lock-step run. Round 0: the commander sends its order; a lieutenant's x is what
 * arrived (RETREAT if nothing did), the commander's its own order. Then t+1 phases of three rounds,
 * every general taking part and counting its own message as received by itself:
 *
 * 1. every general sends value(x) to every other; c(v) = the value(v) it counted;
 * 2. every general sends propose(y) where c(y) >= n-t (ATTACK looked at first), else propose(none);
 *    P(v) = the propose(v) it counted; if P(z) > t (ATTACK looked at first), x := z;
 * 3. the king of phase p (general p-1) sends its x; every other general whose P(x) < n-t takes the
 *    king's value (RETREAT if none arrived).
 *
 * A lieutenant decides its x after phase t+1; the commander's decision is its order. A traitor
 * sends, for each value a loyal general would send to j, what its strategy gives for (v, j); a
 * propose(none) carries no value and goes out as it is; silent sends nothing at all. It keeps its
 * own state by the loyal rules: it counts the message it would have sent itself, unaltered.
 */
export class KingRun extends LockStepRun<RoundState> implements ProtocolRun {
  private x: Order;
  private draft: PhaseDraft | undefined;
  private readonly records: PhaseRecord[] = [];
  private messagesSent = 0;
  private messagesReceived = 0;
  /** The sender of each value received, by storage index (as reported in Step.stored). */
  private readonly valueSenders: number[] = [];

  constructor(spec: GeneralSpec) {
    super(spec, kingSchedule(spec.n, spec.t), () => ({
      received: new Set(),
      closed: false,
      timedOut: false,
      attack: 0,
      retreat: 0,
      heard: undefined,
    }));
    this.x = spec.order ?? DEFAULT_ORDER;
  }

  /** Messages sent, propose(none) included (each one batch). */
  get sentValues(): number {
    return this.messagesSent;
  }

  /** Messages received and accepted, propose(none) included. */
  get receivedValues(): number {
    return this.messagesReceived;
  }

  /** Messages this general receives in a full run with no silent general. */
  get expectedValues(): number {
    return kingMessagesTo(this.spec.n, this.spec.t, this.spec.id);
  }

  /** x now: its value so far, the decision once the run is over. */
  get value(): Order {
    return this.x;
  }

  /** P of the last finished phase: the proposals that decided it (zeros before any phase ends). */
  tally(): Tally {
    const last = this.records[this.records.length - 1];
    return last === undefined ? { attack: 0, retreat: 0 } : { ...last.proposals };
  }

  override phases(): readonly PhaseRecord[] {
    return this.records;
  }

  /** King messages have no EIG path: a received value's "path" is its sender. */
  pathAt(index: number): Path {
    const sender = this.valueSenders[index];
    return sender === undefined ? [] : [sender];
  }

  receive(batch: Batch): Step | Rejection {
    const rejection = this.check(batch);
    if (rejection !== undefined) return rejection;
    const { round, sender } = batch;
    const slot = this.rounds.slot(round);
    const value = batch.values[0];
    const stored = new Int32Array(batch.values.length);
    if (value !== undefined) {
      stored[0] = this.valueSenders.length;
      this.valueSenders.push(sender);
      if (value === 'ATTACK') slot.attack++;
      else slot.retreat++;
      slot.heard = value;
    }
    slot.received.add(sender);
    this.messagesReceived++;
    const step: Step = { ...emptyStep(), stored };
    this.advance(step);
    return step;
  }

  private check(batch: Batch): Rejection | undefined {
    const admitted = this.rounds.admit(batch);
    if (admitted !== undefined) return admitted;
    const { least, most } = this.schedule.valuesPerBatch(batch.round);
    const length = batch.values.length;
    if (length < least || length > most) {
      const expected = least === most ? `${least}` : `${least} or ${most}`;
      return reject(
        'wrong-length',
        `round ${batch.round} (${roundKind(batch.round)}) batch has ${length} values, expected ${expected}`,
      );
    }
    return undefined;
  }

  /** What this general sends on entering `round`; the schedule says to whom. */
  protected send(step: Step, round: number): void {
    const receivers = this.schedule.receivers(round, this.spec.id);
    if (receivers.length === 0) return;
    const kind = roundKind(round);
    const loyal = kind === KingRoundKind.propose ? (this.draft?.proposal ?? null) : this.x;
    for (const receiver of receivers) this.emit(step, round, receiver, loyal);
  }

  /** Round `round` closed: update x (and the phase under way) from what it brought. */
  protected override concluded(step: Step, round: number): void {
    const slot = this.rounds.slot(round);
    const { n, t, id } = this.spec;
    const phase = phaseOf(round);
    const king = kingOf(phase);
    let conclusion: KingConclusion;
    switch (roundKind(round)) {
      case KingRoundKind.order: {
        const heard = this.isCommander ? (this.spec.order ?? DEFAULT_ORDER) : (slot.heard ?? null);
        if (!this.isCommander) this.x = slot.heard ?? DEFAULT_ORDER;
        conclusion = { kind: 'order', round: 0, phase: 0, heard, x: this.x };
        break;
      }
      case KingRoundKind.value: {
        const values = count({ attack: slot.attack, retreat: slot.retreat }, this.x);
        const proposal = values.attack >= n - t ? 'ATTACK' : values.retreat >= n - t ? 'RETREAT' : null;
        this.draft = { start: this.x, values, proposal, proposals: { attack: 0, retreat: 0 } };
        conclusion = { kind: 'value', round, phase, king, counts: values, proposal, x: this.x };
        break;
      }
      case KingRoundKind.propose: {
        const draft = this.requireDraft(phase);
        const proposals = count({ attack: slot.attack, retreat: slot.retreat }, draft.proposal);
        draft.proposals = proposals;
        if (proposals.attack > t) this.x = 'ATTACK';
        else if (proposals.retreat > t) this.x = 'RETREAT';
        conclusion = { kind: 'propose', round, phase, king, counts: proposals, x: this.x };
        break;
      }
      case KingRoundKind.king: {
        const draft = this.requireDraft(phase);
        const own = this.x === 'ATTACK' ? draft.proposals.attack : draft.proposals.retreat;
        const kept = id === king || own >= n - t;
        const heard = id === king ? null : (slot.heard ?? null);
        if (!kept) this.x = heard ?? DEFAULT_ORDER;
        this.records.push({
          phase,
          king,
          start: draft.start,
          values: draft.values,
          proposal: draft.proposal,
          proposals: draft.proposals,
          kingValue: heard,
          tookKing: !kept,
          x: this.x,
        });
        this.draft = undefined;
        conclusion = { kind: 'king', round, phase, king, heard, support: own, kept, x: this.x };
        break;
      }
    }
    step.concluded ??= [];
    step.concluded.push(conclusion);
  }

  /** After phase t+1: x. */
  protected decide(): Order {
    return this.x;
  }

  private requireDraft(phase: number): PhaseDraft {
    if (this.draft === undefined)
      throw new RangeError(`phase ${phase} closed a round before its value round`);
    return this.draft;
  }

  /**
   * One message: `loyal` as the strategy has it (a lie is recorded about the sender's own value,
   * path [sender]); propose(none) (null) goes out empty and unchanged; silent sends nothing at all.
   */
  private emit(step: Step, round: number, receiver: number, loyal: Order | null): void {
    const { strategy, id, runId } = this.spec;
    let values: Order[] = [];
    if (loyal !== null) {
      const after = this.told(step, { round, receiver, index: 0 }, loyal, () => [id]);
      if (after !== undefined) values = [after];
    }
    if (strategy.kind === 'silent') return;
    this.messagesSent++;
    step.outbox.push({ runId, round, sender: id, receiver, values });
  }
}
