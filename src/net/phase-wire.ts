import type { Order } from '../core/order.js';
import type { PhaseRecord } from '../core/run/types.js';
import type { PhaseReport, PhaseReport__Output } from './generated/byzantine/v1/PhaseReport.js';
import { toOrder, toWire, WireOrder } from './proto.js';

/** King phases on the wire (GetDecision, GetTrace): ORDER_UNSPECIFIED stands for "none". */

const orNone = (order: Order | null) => (order === null ? WireOrder.ORDER_UNSPECIFIED : toWire(order));

const fromNone = (wire: unknown): Order | null =>
  wire === WireOrder.ORDER_UNSPECIFIED || wire === 'ORDER_UNSPECIFIED' || wire === undefined
    ? null
    : toOrder(wire);

export function phaseToWire(phase: PhaseRecord): PhaseReport {
  return {
    phase: phase.phase,
    king: phase.king,
    start: toWire(phase.start),
    values: phase.values,
    proposal: orNone(phase.proposal),
    proposals: phase.proposals,
    kingValue: orNone(phase.kingValue),
    tookKing: phase.tookKing,
    x: toWire(phase.x),
  };
}

export function phaseFromWire(wire: PhaseReport__Output): PhaseRecord {
  return {
    phase: wire.phase,
    king: wire.king,
    start: toOrder(wire.start),
    values: { attack: wire.values?.attack ?? 0, retreat: wire.values?.retreat ?? 0 },
    proposal: fromNone(wire.proposal),
    proposals: { attack: wire.proposals?.attack ?? 0, retreat: wire.proposals?.retreat ?? 0 },
    kingValue: fromNone(wire.kingValue),
    tookKing: wire.tookKing,
    x: toOrder(wire.x),
  };
}
