import { escapeHtml } from './html-text.js';
import type { RosterEntry } from './model.js';

/** The cells every algorithm's roster table shows alike for a general. */
export interface RosterCells {
  /** The row's class: loyal, traitor, or untraced when its general left no trace. */
  readonly rowClass: string;
  readonly kind: string;
  readonly decision: string;
  /** The decision recomputed from what the general held, checked against what it reported. */
  readonly recomputed: string;
  /** Why a general left no trace, as HTML (empty when it did). */
  readonly note: string;
}

export function rosterCells(r: RosterEntry): RosterCells {
  return {
    rowClass: r.traced ? (r.traitor ? 'traitor' : 'loyal') : 'untraced',
    kind: !r.traced ? 'unknown' : r.traitor ? 'traitor' : 'loyal',
    decision: r.decision === null ? '—' : r.role === 'commander' ? `order ${r.decision}` : r.decision,
    recomputed:
      r.resolved === null
        ? '—'
        : r.resolved === r.decision
          ? `${r.resolved} ✓`
          : `${r.resolved} ✗ (reported ${r.decision ?? 'nothing'})`,
    note: r.traced ? '' : ` <span class="note">${escapeHtml(r.missingReason ?? '')}</span>`,
  };
}
