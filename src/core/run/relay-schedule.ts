import { COMMANDER } from '../paths.js';
import type { Schedule } from './schedule.js';

/**
 * The rounds OM(t) and SM(t) share: round 0 from the commander to every lieutenant, then rounds
 * 1..t from every lieutenant to every other lieutenant. The commander sends round 0 and is done.
 */
export function relaySchedule(
  n: number,
  t: number,
  valuesPerBatch: (round: number) => { readonly least: number; readonly most: number },
): Schedule {
  const others = new Map<number, readonly number[]>();
  const lieutenantsBut = (id: number): readonly number[] => {
    let list = others.get(id);
    if (list === undefined) {
      list = lieutenantsExcept(n, id);
      others.set(id, list);
    }
    return list;
  };
  const lieutenants = lieutenantsBut(COMMANDER);
  const isGeneral = (id: number) => Number.isInteger(id) && id >= 0 && id < n;
  return {
    n,
    lastRound: t,
    sends: (round, sender, receiver) =>
      isGeneral(sender) &&
      isGeneral(receiver) &&
      sender !== receiver &&
      receiver !== COMMANDER &&
      (round === 0 ? sender === COMMANDER : sender !== COMMANDER),
    senders: (round, receiver) =>
      receiver === COMMANDER ? [] : round === 0 ? [COMMANDER] : lieutenantsBut(receiver),
    receivers: (round, sender) => {
      if (round === 0) return sender === COMMANDER ? lieutenants : [];
      return sender === COMMANDER ? [] : lieutenantsBut(sender);
    },
    lastRoundOf: (id) => (id === COMMANDER ? -1 : t),
    valuesPerBatch,
    notASender: (round, sender, receiver) =>
      round === 0
        ? `general ${sender} cannot send round 0 to general ${receiver}: only the commander (0) does`
        : `general ${sender} is not a lieutenant that sends round ${round} to general ${receiver} (n=${n})`,
  };
}

export function lieutenantsExcept(n: number, id: number): number[] {
  const out: number[] = [];
  for (let j = 1; j < n; j++) if (j !== id) out.push(j);
  return out;
}

/** Batches a lieutenant expects in round r. */
export function batchesExpected(n: number, round: number): number {
  return round === 0 ? 1 : n - 2;
}
