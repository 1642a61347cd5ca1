import { escapeHtml } from './html-text.js';
import type { RosterEntry } from './model.js';

/** A general's horizontal line in a Lamport diagram, the same in every algorithm's report. */

/** What of a diagram's geometry the lanes need (the OM/SM and King diagrams both have it). */
export interface LaneGeometry {
  readonly top: number;
  readonly laneGap: number;
  readonly left: number;
  readonly width: number;
}

export const laneY = (g: LaneGeometry, id: number): number => g.top + id * g.laneGap;

export function laneLabel(r: RosterEntry): string {
  if (!r.traced) return `G${r.id} · no trace`;
  const role = r.role === 'commander' ? 'commander' : r.traitor ? 'traitor' : 'loyal';
  return r.traitor ? `G${r.id} · ${role} (${r.strategy})` : `G${r.id} · ${role}`;
}

/** One lane per general, classed loyal or traitor, dimmed when its general left no trace. */
export function drawLanes(roster: readonly RosterEntry[], g: LaneGeometry): string {
  return roster
    .map((r) => {
      const y = laneY(g, r.id);
      const cls = ['lane', r.traitor ? 'traitor' : 'loyal', r.traced ? '' : 'untraced']
        .filter(Boolean)
        .join(' ');
      return `<g class="${cls}" data-general="${r.id}"><line x1="${g.left - 10}" y1="${y}" x2="${g.width - 10}" y2="${y}"/><text x="8" y="${y + 4}">${escapeHtml(laneLabel(r))}</text></g>`;
    })
    .join('\n');
}
