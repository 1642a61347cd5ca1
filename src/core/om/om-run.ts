import { DEFAULT_ORDER, majority, type Order, type Tally } from '../order.js';
import { COMMANDER, type Path } from '../paths.js';
import { emptyStep, LockStepRun } from '../run/lock-step-run.js';
import { relaySchedule } from '../run/relay-schedule.js';
import { type RoundSlot, reject } from '../run/rounds.js';
import type { Batch, GeneralSpec, ProtocolRun, Rejection, Step } from '../run/types.js';
import { batchSize, valuesPerLieutenant } from './counts.js';
import { type PathTable, pathTable } from './path-table.js';

/** The path of the commander's order, as every lieutenant holds it. */
const ORDER_PATH: Path = [COMMANDER];

const ATTACK_CODE = 1;
const RETREAT_CODE = 2;

/**
 * One general's part in one OM(t) run, as EIG rounds. No I/O and no clock: the edge feeds it
 * batches and round deadlines, and delivers what it returns. Early batches (for a round not yet
 * reached) are stored at once; a round closes when every expected batch is in or its deadline passes.
 */
export class OmRun extends LockStepRun<RoundSlot> implements ProtocolRun {
  private readonly table: PathTable | undefined;
  /** One byte per held path: 0 missing, else an ORDER_CODE. */
  private readonly values: Uint8Array;
  private stored = 0;
  private valuesSent = 0;

  constructor(spec: GeneralSpec) {
    super(
      spec,
      relaySchedule(spec.n, spec.t, (round) => {
        const size = batchSize(spec.n, round);
        return { least: size, most: size };
      }),
      () => ({ received: new Set(), closed: false, timedOut: false }),
    );
    this.table = this.isCommander ? undefined : pathTable(spec.n, spec.t, spec.id);
    this.values = new Uint8Array(this.table?.size ?? 0);
  }

  /** The EIG path behind a storage index (as reported in a Step). */
  pathAt(index: number): Path {
    return this.table?.path(index) ?? [];
  }

  /** Round 0: (0); round r: each relayed path s extended by this general, as the receiver stores it. */
  receiverPaths(batch: Batch): readonly Path[] {
    if (batch.round === 0 || this.table === undefined) return batch.values.map(() => ORDER_PATH);
    return this.table.relayedPaths(batch.round, batch.receiver);
  }

  get sentValues(): number {
    return this.valuesSent;
  }

  /** Values stored so far (the commander holds none). */
  get receivedValues(): number {
    return this.stored;
  }

  get expectedValues(): number {
    return this.isCommander ? 0 : valuesPerLieutenant(this.spec.n, this.spec.t);
  }

  /** Every value this general holds, missing ones counted as RETREAT. */
  tally(): Tally {
    let attack = 0;
    for (const code of this.values) if (code === ATTACK_CODE) attack++;
    return { attack, retreat: this.values.length - attack };
  }

  /** Validates and stores a batch; may close rounds and produce the next round's batches. */
  receive(batch: Batch): Step | Rejection {
    const rejection = this.check(batch);
    if (rejection !== undefined) return rejection;
    const { round, sender } = batch;
    const stored = this.requireTable().incomingIndices(round, sender);
    for (let i = 0; i < stored.length; i++) {
      this.values[stored[i] as number] = batch.values[i] === 'ATTACK' ? ATTACK_CODE : RETREAT_CODE;
    }
    this.stored += stored.length;
    this.rounds.slot(round).received.add(sender);
    const step: Step = { ...emptyStep(), stored };
    this.advance(step);
    return step;
  }

  /** Round 0: the commander's order to each lieutenant; rounds 1..t: what a lieutenant relays. */
  protected send(step: Step, round: number): void {
    if (round > 0) {
      this.relay(step, round);
      return;
    }
    const order: Order = this.spec.order ?? DEFAULT_ORDER;
    for (const receiver of this.schedule.receivers(0, this.spec.id)) {
      this.emit(step, 0, receiver, () => [COMMANDER], [order]);
    }
  }

  /** The EIG tree resolved from its root (0); values still missing count as RETREAT. */
  protected decide(): Order {
    return this.resolve(this.requireTable(), 0);
  }

  /** The EIG decision at a node: majority of its own value and its children's, RETREAT on a tie. */
  private resolve(table: PathTable, index: number): Order {
    const own: Order = this.values[index] === ATTACK_CODE ? 'ATTACK' : 'RETREAT';
    const children = table.children(index);
    if (children.length === 0) return own;
    const tally: Tally = { attack: own === 'ATTACK' ? 1 : 0, retreat: own === 'ATTACK' ? 0 : 1 };
    for (const child of children) {
      if (this.resolve(table, child) === 'ATTACK') tally.attack++;
      else tally.retreat++;
    }
    return majority(tally);
  }

  private requireTable(): PathTable {
    if (this.table === undefined) throw new RangeError('the commander holds no EIG values');
    return this.table;
  }

  private check(batch: Batch): Rejection | undefined {
    const admitted = this.rounds.admit(batch);
    if (admitted !== undefined) return admitted;
    const expected = this.schedule.valuesPerBatch(batch.round).least;
    if (batch.values.length !== expected) {
      return reject(
        'wrong-length',
        `round ${batch.round} batch has ${batch.values.length} values, expected ${expected} (n=${this.spec.n})`,
      );
    }
    return undefined;
  }

  /** Round r >= 1: to every other lieutenant, the value held for each path of length r avoiding both. */
  private relay(step: Step, round: number): void {
    const table = this.requireTable();
    for (const receiver of this.schedule.receivers(round, this.spec.id)) {
      const indices = table.outgoingIndices(round, receiver);
      const values: Order[] = new Array(indices.length);
      for (let i = 0; i < indices.length; i++) {
        values[i] = this.values[indices[i] as number] === ATTACK_CODE ? 'ATTACK' : 'RETREAT';
      }
      this.emit(step, round, receiver, (i) => table.path(indices[i] as number), values);
    }
  }

  /** Applies the strategy to what a loyal general would send, and records each lie. */
  private emit(
    step: Step,
    round: number,
    receiver: number,
    pathOf: (index: number) => Path,
    loyal: Order[],
  ): void {
    const { strategy, id, runId } = this.spec;
    const values: Order[] = [];
    for (let index = 0; index < loyal.length; index++) {
      const after = this.told(step, { round, receiver, index }, loyal[index] ?? DEFAULT_ORDER, () =>
        pathOf(index),
      );
      if (after !== undefined) values.push(after);
    }
    // Withheld entirely: silent sends no batch at all, not even an empty one.
    if (strategy.kind === 'silent' || (values.length === 0 && loyal.length > 0)) return;
    this.valuesSent += values.length;
    step.outbox.push({ runId, round, sender: id, receiver, values });
  }
}
