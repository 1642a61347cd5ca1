import { escapeHtml } from './html-text.js';
import type { RosterEntry } from './model.js';

/** What every algorithm's Lamport diagram shares: its geometry, a lane per general, the arrowheads. */

/** What of a diagram's geometry the lanes need (the OM/SM and King diagrams both have it). */
export interface LaneGeometry {
  readonly top: number;
  readonly laneGap: number;
  readonly left: number;
  readonly width: number;
}

/** A Lamport diagram's geometry: its lanes, and a column per round whose senders are staggered. */
export interface DiagramGeometry extends LaneGeometry {
  readonly step: number;
  readonly slant: number;
  /** x where each round's column starts. */
  readonly columns: readonly number[];
  readonly height: number;
}

/** The arrowheads of a diagram's messages: delivered, lying, refused. */
export const ARROW_HEADS = `<defs>
<marker id="head" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="6" markerHeight="6" orient="auto"><path d="M0 0L8 4L0 8z" class="head"/></marker>
<marker id="head-lie" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="6" markerHeight="6" orient="auto"><path d="M0 0L8 4L0 8z" class="head-lie"/></marker>
<marker id="head-rej" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="6" markerHeight="6" orient="auto"><path d="M0 0L8 4L0 8z" class="head-rej"/></marker>
</defs>`;

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
