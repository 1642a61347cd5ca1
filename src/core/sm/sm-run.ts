import { DEFAULT_ORDER, type Order, type Tally } from '../order.js';
import { COMMANDER, type Path } from '../paths.js';
import { LockStepRun } from '../run/lock-step-run.js';
import { relaySchedule } from '../run/relay-schedule.js';
import { type RoundSlot, reject } from '../run/rounds.js';
import type { Batch, ChainProof, GeneralSpec, ProtocolRun, Rejection, Step } from '../run/types.js';
import { chainFault, compareSigners, extendChain } from './chains.js';
import type { Signer, Verifier } from './signatures.js';

/** A general's own signing key and every general's public key, as the core sees them. */
export interface SmRunKeys {
  readonly signer: Signer;
  readonly verifier: Verifier;
}

/** A loyal general sends each value at most once per batch, so an SM batch holds at most two. */
export const MAX_SIGNED_BATCH = 2;

interface RoundState extends RoundSlot {
  /** Per value, the smallest valid chain (by signer list) that arrived in this round. */
  best: Map<Order, ChainProof>;
}

/**
 * One general's part in one SM(t) run (Lamport, Shostak, Pease 1982, signed messages), in the
 * same rounds as OM so that the edges drive both alike. Round 0: the commander signs its order to
 * each lieutenant. Round r = 1..t: every lieutenant sends every other lieutenant one batch, empty
 * when it has nothing new, holding the values it first saw in round r-1, each with one chain (the
 * smallest valid one) extended by its own signature, to every lieutenant not already in the chain.
 * After round t it decides choice(V): the single value it saw, else RETREAT.
 */
export class SmRun extends LockStepRun<RoundState> implements ProtocolRun {
  /** V: every value seen with a valid chain, in the round its first chain arrived. */
  private readonly known = new Set<Order>();
  /** The signer list of every chain of every accepted batch, by storage index. */
  private readonly chainSigners: Path[] = [];
  private chainsSent = 0;
  private invalidCount = 0;
  private readonly accepted: Tally = { attack: 0, retreat: 0 };
  /** Links already signed, by chain and value: a link is the same for every receiver. */
  private readonly links = new Map<ChainProof | undefined, Map<Order, ChainProof>>();

  constructor(
    spec: GeneralSpec,
    private readonly keys: SmRunKeys,
  ) {
    super(
      spec,
      relaySchedule(spec.n, spec.t, () => ({ least: 0, most: MAX_SIGNED_BATCH })),
      () => ({ received: new Set(), closed: false, timedOut: false, best: new Map() }),
    );
  }

  /** Chains sent, genuine or tampered. */
  get sentValues(): number {
    return this.chainsSent;
  }

  /** Values accepted with a valid chain. */
  get receivedValues(): number {
    return this.accepted.attack + this.accepted.retreat;
  }

  /** Values ignored because their chain did not verify where it arrived. */
  get invalidValues(): number {
    return this.invalidCount;
  }

  /** Under SM how many values arrive depends on the traitors: nothing is expected in advance. */
  get expectedValues(): number {
    return 0;
  }

  /** V so far, ATTACK before RETREAT. */
  get knownValues(): readonly Order[] {
    return (['ATTACK', 'RETREAT'] as const).filter((v) => this.known.has(v));
  }

  /** The valid values accepted, by value. */
  tally(): Tally {
    return { ...this.accepted };
  }

  /** The signer list of the chain behind a storage index reported in a Step. */
  pathAt(index: number): Path {
    return this.chainSigners[index] ?? [];
  }

  /** Each value's chain as sent, this general's signature last: the chain its receiver holds. */
  receiverPaths(batch: Batch): readonly Path[] {
    return (batch.chains ?? []).map((chain) => chain.signers);
  }

  /**
   * Round 0: the commander signs its order (as its strategy has it) to each lieutenant; rounds
   * 1..t: what a lieutenant relays.
   */
  protected send(step: Step, round: number): void {
    if (round > 0) {
      this.relay(step, round);
      return;
    }
    const order: Order = this.spec.order ?? DEFAULT_ORDER;
    for (const receiver of this.schedule.receivers(0, this.spec.id)) {
      this.emit(step, 0, receiver, [[order, undefined]]);
    }
  }

  /**
   * Checks a batch as OM does, then each chain: a value whose chain is not valid is ignored and
   * reported in Step.invalid; the batch itself is accepted (its sender is authenticated).
   */
  receive(batch: Batch): Step | Rejection {
    const rejection = this.check(batch);
    if (rejection !== undefined) return rejection;
    const { runId, n, id } = this.spec;
    const { round, sender } = batch;
    const chains = batch.chains ?? [];
    const state = this.rounds.slot(round);
    const stored = new Int32Array(batch.values.length);
    const invalid: number[] = [];
    for (let i = 0; i < batch.values.length; i++) {
      const value = batch.values[i] as Order;
      const chain = chains[i];
      stored[i] = this.chainSigners.length;
      this.chainSigners.push(Array.isArray(chain?.signers) ? [...chain.signers] : []);
      const at = { runId, n, round, sender, receiver: id };
      if (chain === undefined || chainFault(value, chain, at, this.keys.verifier) !== undefined) {
        invalid.push(i);
        this.invalidCount++;
        continue;
      }
      if (value === 'ATTACK') this.accepted.attack++;
      else this.accepted.retreat++;
      const best = state.best.get(value);
      if (best === undefined || compareSigners(chain.signers, best.signers) < 0) state.best.set(value, chain);
    }
    state.received.add(sender);
    const step: Step = {
      outbox: [],
      lies: [],
      completed: [],
      stored,
      ...(invalid.length > 0 ? { invalid } : {}),
    };
    this.advance(step);
    return step;
  }

  private check(batch: Batch): Rejection | undefined {
    const admitted = this.rounds.admit(batch);
    if (admitted !== undefined) return admitted;
    const { round } = batch;
    // One chain per value: an empty batch needs none (on the wire, proto3 sends no list for it).
    if ((batch.chains?.length ?? 0) !== batch.values.length) {
      return reject(
        'malformed-chain',
        `round ${round} batch has ${batch.values.length} values and ${batch.chains?.length ?? 'no'} signed chains: SM needs one chain per value`,
      );
    }
    if (batch.values.length > MAX_SIGNED_BATCH) {
      return reject(
        'wrong-length',
        `round ${round} batch has ${batch.values.length} values: an SM batch holds at most one per value (${MAX_SIGNED_BATCH})`,
      );
    }
    return undefined;
  }

  /**
   * Adds to V the values first seen (with a valid chain) in `round`, and returns them each with
   * the one chain to relay: the smallest valid one, so arrival order never matters.
   */
  private absorb(round: number): Array<[Order, ChainProof]> {
    const fresh: Array<[Order, ChainProof]> = [];
    const best = this.rounds.slot(round).best;
    for (const value of ['ATTACK', 'RETREAT'] as const) {
      const chain = best.get(value);
      if (chain === undefined || this.known.has(value)) continue;
      this.known.add(value);
      fresh.push([value, chain]);
    }
    return fresh;
  }

  /** Round r: each value first seen in round r-1, to every lieutenant not yet in its chain. */
  private relay(step: Step, round: number): void {
    const fresh = this.absorb(round - 1);
    for (const receiver of this.schedule.receivers(round, this.spec.id)) {
      this.emit(
        step,
        round,
        receiver,
        fresh.filter(([, chain]) => !chain.signers.includes(receiver)),
      );
    }
  }

  /** choice(V) once round t's values are in: the single value seen, else RETREAT. */
  protected decide(): Order {
    this.absorb(this.spec.t);
    return this.known.size === 1 ? (this.knownValues[0] ?? DEFAULT_ORDER) : DEFAULT_ORDER;
  }

  /**
   * Sends one batch: each value with its chain extended by this general's signature. A traitor's
   * strategy picks the value per receiver as in OM: the same value is relayed genuinely; the other
   * one is a tampered chain (old signatures kept, own link signed over the swapped value), which
   * receivers detect; silent sends no batch at all. Every departure is recorded as a lie.
   */
  private emit(
    step: Step,
    round: number,
    receiver: number,
    loyal: ReadonlyArray<readonly [Order, ChainProof | undefined]>,
  ): void {
    const { strategy, id, runId } = this.spec;
    const values: Order[] = [];
    const chains: ChainProof[] = [];
    loyal.forEach(([before, chain], index) => {
      const after = this.told(step, { round, receiver, index }, before, () => chain?.signers ?? [COMMANDER]);
      if (after === undefined) return;
      values.push(after);
      chains.push(this.signed(after, chain));
    });
    if (strategy.kind === 'silent') return;
    this.chainsSent += values.length;
    step.outbox.push({ runId, round, sender: id, receiver, values, chains });
  }

  private signed(value: Order, chain: ChainProof | undefined): ChainProof {
    let byValue = this.links.get(chain);
    if (byValue === undefined) {
      byValue = new Map();
      this.links.set(chain, byValue);
    }
    let extended = byValue.get(value);
    if (extended === undefined) {
      extended = extendChain(this.spec.runId, value, chain, this.spec.id, this.keys.signer);
      byValue.set(value, extended);
    }
    return extended;
  }
}
