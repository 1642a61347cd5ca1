import { COMMANDER } from '../paths.js';
import type { Schedule } from '../run/schedule.js';
import { KingRoundKind } from '../run/types.js';
import { kingLastRound, kingOf, phaseOf, roundKind } from './phases.js';

/**
 * Who sends to whom in a King run: round 0 from the commander to every lieutenant; in each phase's
 * value and propose rounds every general to every other one; in its king round the king alone to
 * every other general. Every general, the commander included, takes part in every round.
 */
export function kingSchedule(n: number, t: number): Schedule {
  if (t + 1 > n)
    throw new RangeError(`King with t=${t} needs t+1=${t + 1} kings, but there are ${n} generals`);
  const lastRound = kingLastRound(t);
  const others = new Map<number, readonly number[]>();
  const allBut = (id: number): readonly number[] => {
    let list = others.get(id);
    if (list === undefined) {
      const built: number[] = [];
      for (let j = 0; j < n; j++) if (j !== id) built.push(j);
      list = built;
      others.set(id, list);
    }
    return list;
  };
  const isGeneral = (id: number) => Number.isInteger(id) && id >= 0 && id < n;
  const sole = (round: number) => (round === 0 ? COMMANDER : kingOf(phaseOf(round)));
  const allToAll = (round: number) => {
    const kind = roundKind(round);
    return kind === KingRoundKind.value || kind === KingRoundKind.propose;
  };
  return {
    n,
    lastRound,
    sends: (round, sender, receiver) =>
      isGeneral(sender) &&
      isGeneral(receiver) &&
      sender !== receiver &&
      (allToAll(round) || sender === sole(round)),
    senders: (round, receiver) => {
      if (allToAll(round)) return allBut(receiver);
      const from = sole(round);
      return receiver === from ? [] : [from];
    },
    receivers: (round, sender) => {
      if (allToAll(round) || sender === sole(round)) return allBut(sender);
      return [];
    },
    lastRoundOf: () => lastRound,
    valuesPerBatch: (round) =>
      roundKind(round) === KingRoundKind.propose ? { least: 0, most: 1 } : { least: 1, most: 1 },
    notASender: (round, sender, receiver) => {
      if (!isGeneral(sender) || sender === receiver) {
        return `general ${sender} is not another general of this run (n=${n}), so it sends nothing to general ${receiver}`;
      }
      if (round === 0) {
        return `general ${sender} cannot send round 0 to general ${receiver}: only the commander (0) does`;
      }
      const phase = phaseOf(round);
      return `general ${sender} cannot send round ${round} to general ${receiver}: it is the king's round of phase ${phase}, and only the king (${kingOf(phase)}) sends in it`;
    },
  };
}
