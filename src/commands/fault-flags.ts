import { describeFaults, type GeneralFaults } from '../config/faults.js';
import type { FlagSpec } from './flags.js';

/** `local`'s fault flags: each acts inside a real general process (see FAULT_HELP). */
export const FAULT_FLAGS: FlagSpec = {
  crash: { type: 'string', help: 'ID@ROUND,...: that general exits when that round starts' },
  delay: { type: 'string', help: "ID:MS,...: that general's messages leave MS ms late" },
  drop: { type: 'string', help: "FROM>TO,...: FROM's messages to TO are lost" },
};

export const FAULT_HELP = `faults (set on the general's process as FAULT_CRASH_ROUND, FAULT_DELAY_MS, FAULT_DROP_TO):
  --crash 3@1    general 3 exits as round 1 starts (round 0: as it joins); it sends nothing more
  --delay 2:1500 every batch general 2 sends is held back 1500 ms; one that arrives after the
                 receiver's round deadline (--round-timeout) is refused and counts as missing (RETREAT)
  --drop 1>2     general 1's batches to general 2 are lost; 2 waits out its round deadline
A general with a fault is judged as faulty, like a traitor: IC1 and IC2 are checked over the others,
and a crashed general that cannot answer does not make the exit status 3. Each fault is logged where
it acts: a FAULT line in general_<id>_intermediate.log and a "fault" event in general_<id>_events.jsonl.`;

/** Each faulted general, described, for the verdict. */
export function faultedOf(faults: ReadonlyMap<number, GeneralFaults> | undefined): Map<number, string> {
  return new Map([...(faults ?? [])].map(([id, f]) => [id, describeFaults(f)] as const));
}
