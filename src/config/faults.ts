/**
 * Injected faults on real general processes: what `local --crash/--delay/--drop` mean, how they
 * travel to a general (FAULT_* env vars) and how they are named in output. Parsing only, no I/O.
 */

/** One general's faults. */
export interface GeneralFaults {
  /** The general exits when this round starts (0: on joining a run). */
  readonly crashRound?: number;
  /** Every batch it sends is held back this long; past the round deadline it counts as missing. */
  readonly delayMs?: number;
  /** Receivers whose batches from this general are lost. */
  readonly dropTo?: readonly number[];
}

export const FAULT_ENV = {
  crashRound: 'FAULT_CRASH_ROUND',
  delayMs: 'FAULT_DELAY_MS',
  dropTo: 'FAULT_DROP_TO',
} as const;

/** The env a general gets for its faults; every key is set (empty: none) so nothing leaks in. */
export function faultEnv(faults: GeneralFaults | undefined): Record<string, string> {
  return {
    [FAULT_ENV.crashRound]: faults?.crashRound === undefined ? '' : String(faults.crashRound),
    [FAULT_ENV.delayMs]: faults?.delayMs === undefined ? '' : String(faults.delayMs),
    [FAULT_ENV.dropTo]: faults?.dropTo === undefined ? '' : faults.dropTo.join(','),
  };
}

export function hasFaults(faults: GeneralFaults | undefined): boolean {
  return (
    faults !== undefined &&
    (faults.crashRound !== undefined || (faults.delayMs ?? 0) > 0 || (faults.dropTo?.length ?? 0) > 0)
  );
}

/** `crash@1`, `delay 300ms`, `drop>2,3`, joined by `+`. */
export function describeFaults(faults: GeneralFaults): string {
  const parts: string[] = [];
  if (faults.crashRound !== undefined) parts.push(`crash@${faults.crashRound}`);
  if ((faults.delayMs ?? 0) > 0) parts.push(`delay ${faults.delayMs}ms`);
  if ((faults.dropTo?.length ?? 0) > 0) parts.push(`drop>${faults.dropTo?.join(',')}`);
  return parts.join('+');
}

/** Flag values as parsed (`crash`, `delay`, `drop`); other keys are ignored. */
export type FaultFlags = Readonly<Record<string, string | boolean | undefined>>;

const CRASH = /^(\d{1,3})@(\d{1,2})$/;
const DELAY = /^(\d{1,3}):(\d{1,6})$/;
const DROP = /^(\d{1,3})>(\d{1,3})$/;

const items = (text: string | boolean | undefined) =>
  (typeof text === 'string' ? text : '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/**
 * `--crash 3@1,5@2`, `--delay 2:1500`, `--drop 1>2,1>3` for n generals: one map by general id, and
 * every problem found (each naming its flag).
 */
export function parseFaultFlags(
  flags: FaultFlags,
  n: number,
): { faults: Map<number, GeneralFaults>; problems: string[] } {
  const faults = new Map<number, { crashRound?: number; delayMs?: number; dropTo?: number[] }>();
  const problems: string[] = [];
  const entry = (id: number) => {
    let f = faults.get(id);
    if (f === undefined) {
      f = {};
      faults.set(id, f);
    }
    return f;
  };
  const idOk = (flag: string, item: string, id: number) => {
    if (id < n) return true;
    problems.push(`${flag}: "${item}": general ${id} is out of range: ids are 0..${n - 1}`);
    return false;
  };
  for (const item of items(flags.crash)) {
    const m = CRASH.exec(item);
    if (m === null) {
      problems.push(`--crash: "${item}": expected ID@ROUND, e.g. 3@1 (general 3 exits when round 1 starts)`);
      continue;
    }
    const id = Number(m[1]);
    if (!idOk('--crash', item, id)) continue;
    const f = entry(id);
    if (f.crashRound !== undefined) problems.push(`--crash: general ${id} is listed twice`);
    f.crashRound = Number(m[2]);
  }
  for (const item of items(flags.delay)) {
    const m = DELAY.exec(item);
    if (m === null) {
      problems.push(
        `--delay: "${item}": expected ID:MS, e.g. 2:1500 (general 2's messages leave 1500 ms late)`,
      );
      continue;
    }
    const id = Number(m[1]);
    if (!idOk('--delay', item, id)) continue;
    const f = entry(id);
    if (f.delayMs !== undefined) problems.push(`--delay: general ${id} is listed twice`);
    f.delayMs = Number(m[2]);
  }
  for (const item of items(flags.drop)) {
    const m = DROP.exec(item);
    if (m === null) {
      problems.push(`--drop: "${item}": expected FROM>TO, e.g. 1>2 (general 1's messages to 2 are lost)`);
      continue;
    }
    const from = Number(m[1]);
    const to = Number(m[2]);
    if (!idOk('--drop', item, from) || !idOk('--drop', item, to)) continue;
    if (from === to) {
      problems.push(`--drop: "${item}": a general does not send to itself`);
      continue;
    }
    const f = entry(from);
    f.dropTo = [...new Set([...(f.dropTo ?? []), to])].sort((a, b) => a - b);
  }
  return { faults, problems };
}

/** FAULT_DROP_TO: a comma list of general ids (empty: none). */
export function parseDropList(text: string): { ids: number[]; bad: string[] } {
  const ids: number[] = [];
  const bad: string[] = [];
  for (const item of items(text)) {
    if (/^\d{1,3}$/.test(item)) ids.push(Number(item));
    else bad.push(item);
  }
  return { ids: [...new Set(ids)].sort((a, b) => a - b), bad };
}
