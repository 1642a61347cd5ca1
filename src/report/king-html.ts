import { escapeHtml, fmt, scriptJson } from './html-text.js';
import type { KingFan, KingModel, KingRoundInfo } from './king-model.js';
import { ARROW_HEADS, type DiagramGeometry, drawLanes, laneY } from './lanes.js';
import type { Arrow, ReportModel } from './model.js';
import { rosterCells } from './roster-cells.js';

/**
 * The parts of the report page that differ for a King run: a Lamport diagram grouped by phase (its
 * three rounds under one band, the king's lane and round highlighted), the roster with each
 * general's x by phase, a grid of every general's x across phases, and the counts per round.
 */

/** A round that only one general sends in: the commander's order and each king round. */
const sole = (info: KingRoundInfo) => info.kind === 'order' || info.kind === 'king';

export function kingGeometry(n: number, rounds: readonly KingRoundInfo[]): DiagramGeometry {
  const laneGap = n <= 12 ? 44 : n <= 20 ? 30 : n <= 40 ? 22 : 14;
  // Senders of an all-to-all round are staggered; past 40 generals only just, to keep the page wide but not absurd.
  const step = n <= 12 ? 22 : n <= 20 ? 14 : n <= 40 ? 6 : 3;
  const slant = 36;
  const top = 66;
  const left = 200;
  const columns: number[] = [];
  let x = left;
  for (const info of rounds) {
    columns.push(x);
    x += sole(info) ? 40 + slant + 40 : 30 + (n - 1) * step + slant + 30;
  }
  return { laneGap, top, left, step, slant, columns, width: x + 20, height: top + (n - 1) * laneGap + 40 };
}

function senderX(g: DiagramGeometry, info: KingRoundInfo, from: number): number {
  const column = g.columns[info.round] ?? g.left;
  return sole(info) ? column + 40 : column + 30 + from * g.step;
}

/** What a message carried, as the page names it. */
export function messageText(info: KingRoundInfo, values: string): string {
  const value = values === 'A' ? 'ATTACK' : values === 'R' ? 'RETREAT' : null;
  switch (info.kind) {
    case 'order':
      return `order ${value ?? '?'}`;
    case 'value':
      return `value(${value ?? '?'})`;
    case 'propose':
      return value === null ? 'propose(none)' : `propose(${value})`;
    case 'king':
      return `the king's ${value ?? '?'}`;
  }
}

const roundName = (info: KingRoundInfo) =>
  info.round === 0 ? 'round 0 (order)' : `round ${info.round} (phase ${info.phase}, ${info.kind})`;

function arrowTitle(info: KingRoundInfo, a: Arrow): string {
  const what = a.rejected === undefined ? messageText(info, a.values) : `REJECTED (${a.rejected})`;
  return `${roundName(info)}: general ${a.from} → ${a.to}: ${what}${a.lies > 0 ? ', a lie' : ''} (click for more)`;
}

function drawArrows(model: ReportModel, king: KingModel, g: DiagramGeometry): string {
  return model.arrows
    .map((a, i) => {
      const info = king.rounds[a.round];
      if (info === undefined) return '';
      const x1 = senderX(g, info, a.from);
      const classes = [
        'arrow',
        a.lies > 0 ? 'lie' : '',
        info.kind === 'king' ? 'king' : '',
        info.kind === 'propose' && a.values === '' && a.rejected === undefined ? 'none' : '',
        a.rejected === undefined ? '' : 'rejected',
      ]
        .filter(Boolean)
        .join(' ');
      const marker = a.rejected !== undefined ? 'head-rej' : a.lies > 0 ? 'head-lie' : 'head';
      return `<line class="${classes}" data-i="${i}" x1="${x1}" y1="${laneY(g, a.from)}" x2="${x1 + g.slant}" y2="${laneY(g, a.to)}" marker-end="url(#${marker})"><title>${escapeHtml(arrowTitle(info, a))}</title></line>`;
    })
    .join('\n');
}

function fanTitle(info: KingRoundInfo, fan: KingFan): string {
  let attack = 0;
  let retreat = 0;
  let none = 0;
  let missing = 0;
  let receivers = 0;
  for (const mark of fan.received) {
    if (mark === ' ') continue;
    receivers++;
    if (mark === 'A') attack++;
    else if (mark === 'R') retreat++;
    else if (mark === 'n') none++;
    else missing++;
  }
  const parts = [`${attack} ATTACK`, `${retreat} RETREAT`];
  if (none > 0) parts.push(`${none} propose(none)`);
  if (missing > 0) parts.push(`${missing} not received`);
  if (fan.lieCount > 0) parts.push(`${fan.lieCount} lies or withheld`);
  return `${roundName(info)}: general ${fan.from} → ${receivers} generals: ${parts.join(', ')} (click for each)`;
}

/** Past AGGREGATE_ABOVE messages: one wedge per (round, sender) from its lane to every receiver's. */
function drawFans(king: KingModel, g: DiagramGeometry, n: number): string {
  return king.fans
    .map((fan) => {
      const info = king.rounds[fan.round];
      if (info === undefined) return '';
      const x1 = senderX(g, info, fan.from);
      const y1 = laneY(g, fan.from);
      const first = fan.received.search(/\S/);
      const last = n - 1 - [...fan.received].reverse().join('').search(/\S/);
      // Nothing of it reached anyone: a silent (or crashed) sender, drawn as withheld.
      const silent = !/[ARnx]/.test(fan.received);
      const classes = [
        'fan',
        fan.lies.includes('1') ? 'lie' : '',
        info.kind === 'king' ? 'king' : '',
        silent ? 'silent' : '',
      ]
        .filter(Boolean)
        .join(' ');
      const d = `M${x1} ${y1}L${x1 + g.slant} ${laneY(g, first)}L${x1 + g.slant} ${laneY(g, last)}Z`;
      return `<path class="${classes}" data-kfan="${fan.round}:${fan.from}" d="${d}"><title>${escapeHtml(fanTitle(info, fan))}</title></path>`;
    })
    .join('\n');
}

/** The Lamport diagram: a band per phase over its three rounds, naming and highlighting its king. */
export function kingDiagram(model: ReportModel, king: KingModel): string {
  const g = kingGeometry(model.n, king.rounds);
  const edge = (round: number) => g.columns[round] ?? g.width - 20;
  const bands = king.phases
    .map((p) => {
      const first = 3 * (p.phase - 1) + 1;
      const x = edge(first);
      const width = edge(first + 3) - x;
      const y = laneY(g, p.king);
      const who = p.kingTraitor ? `traitor, ${p.kingStrategy}` : 'loyal';
      return `<g class="phase-band${p.kingTraitor ? ' traitor-king' : ''}" data-phase="${p.phase}"><rect class="phase" x="${x}" y="30" width="${width}" height="${g.height - 36}"/><rect class="king-lane" x="${x}" y="${y - g.laneGap / 3}" width="${width}" height="${(2 * g.laneGap) / 3}"/><text class="phase-label" x="${x + 6}" y="44">phase ${p.phase} · king G${p.king} (${escapeHtml(who)})</text></g>`;
    })
    .join('\n');
  const columns = model.rounds
    .map((round) => {
      const info = king.rounds[round.round];
      const x = g.columns[round.round] ?? g.left;
      const time = round.elapsedMs === null ? '' : ` · ${round.elapsedMs.toFixed(0)} ms`;
      return `<g class="round-column${info?.kind === 'king' ? ' king' : ''}"><line x1="${x}" y1="14" x2="${x}" y2="${g.height - 10}"/><text x="${x + 6}" y="24">r${round.round} ${info?.kind ?? ''}${time}</text></g>`;
    })
    .join('\n');
  const lanes = drawLanes(model.roster, g);
  const withheld = model.withheld
    .map((w) => {
      const info = king.rounds[w.round];
      if (info === undefined) return '';
      const x1 = senderX(g, info, w.from);
      const title = `${roundName(info)}: general ${w.from} withheld its message to ${w.to}`;
      return `<line class="withheld" x1="${x1}" y1="${laneY(g, w.from)}" x2="${x1 + g.slant}" y2="${laneY(g, w.to)}"><title>${escapeHtml(title)}</title></line>`;
    })
    .join('\n');
  const body = model.aggregated ? drawFans(king, g, model.n) : drawArrows(model, king, g);
  return `<svg id="lamport" class="king-run" xmlns="http://www.w3.org/2000/svg" width="${g.width}" height="${g.height}" viewBox="0 0 ${g.width} ${g.height}" role="img" aria-label="Lamport diagram of King run ${escapeHtml(model.runId)}">
${ARROW_HEADS}
${bands}
${columns}
${lanes}
<g class="arrows">
${body}
${withheld}
</g>
</svg>`;
}

const SPELLED_OUT = 12;

/** The roster: each general's decision, x by phase (recomputed from its messages), its last phase's tallies. */
export function kingRosterTable(model: ReportModel, king: KingModel): string {
  const spelled = model.t + 1 <= SPELLED_OUT;
  const rows = model.roster.map((r) => {
    const { rowClass: cls, kind, decision, recomputed, note } = rosterCells(r);
    const view = king.generals.find((v) => v.id === r.id);
    const letters =
      view === undefined ? '' : `${view.initial?.[0] ?? '-'}${view.phases.map((p) => p.x[0]).join('')}`;
    let changes = 0;
    for (let i = 1; i < letters.length; i++) if (letters[i] !== letters[i - 1]) changes++;
    const x =
      letters === ''
        ? '—'
        : spelled
          ? `${letters[0]}|${letters.slice(1)}`
          : `${letters.slice(-1)} (${changes} changes)`;
    const last = view?.phases[view.phases.length - 1];
    return `<tr class="${cls}" data-general="${r.id}"><td>${r.id}</td><td>${r.role}</td><td class="kind">${kind}${note}</td><td>${escapeHtml(r.strategy)}</td><td class="decision">${escapeHtml(decision)}</td><td class="resolved">${escapeHtml(recomputed)}</td><td class="xs">${x}</td><td class="num">${last === undefined ? '—' : `${last.values.attack}/${last.values.retreat}`}</td><td class="num">${last === undefined ? '—' : `${last.proposals.attack}/${last.proposals.retreat}`}</td><td class="num">${fmt(r.valuesHeld)} / ${fmt(r.valuesExpected)}</td><td class="num">${fmt(r.liesTold)}</td></tr>`;
  });
  const xHead = spelled ? 'x: round 0 | each phase' : 'x after the last phase';
  return `<table id="roster-table"><thead><tr><th>general</th><th>role</th><th>loyal?</th><th>strategy</th><th>decision</th><th>x after phase ${model.t + 1}, from its messages</th><th>${xHead}</th><th>last c A/R</th><th>last P A/R</th><th>messages received</th><th>lies told</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

/** Counts: messages against the exact number, lies; per round its kind, phase and king. */
export function kingCountsBlock(model: ReportModel, king: KingModel): string {
  const c = model.counts;
  const rows = model.rounds.map((r) => {
    const info = king.rounds[r.round];
    const kind = info === undefined ? '' : info.kind === 'king' ? `king (G${info.king})` : info.kind;
    return `<tr data-round="${r.round}"><td>${r.round}</td><td>${info?.phase ?? ''}</td><td>${kind}</td><td class="num">${fmt(r.batches)} / ${fmt(r.batchesExpected)}</td><td class="num">${fmt(r.batches - r.values)}</td><td class="num">${fmt(r.lies)}</td><td class="num">${r.rejected}</td><td class="num">${r.withheld}</td><td class="num">${r.elapsedMs === null ? '—' : `${r.elapsedMs.toFixed(1)} ms`}${r.timedOut > 0 ? ` (${r.timedOut} timed out)` : ''}</td></tr>`;
  });
  return `<ul id="counts">
<li><b id="count-batches">${fmt(c.batches)}</b> of ${fmt(c.batchesExpected)} messages delivered (one batch, one RPC each; propose(none) included)${c.rejected > 0 ? `, ${fmt(c.rejected)} rejected` : ''}</li>
<li><b id="count-lies">${fmt(c.lies)}</b> lies told${c.withheldValues > 0 ? `, ${fmt(c.withheldValues)} of them values withheld` : ''}</li>
${model.elapsedMs === null ? '' : `<li>run time ${model.elapsedMs.toFixed(1)} ms</li>`}
</ul>
<table id="rounds-table"><thead><tr><th>round</th><th>phase</th><th>kind</th><th>messages</th><th>propose(none)</th><th>lies</th><th>rejected</th><th>withheld</th><th>slowest close</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

/** Each general's x across phases: a row per general, a column per phase, the king's cell marked. */
export function kingPhasesSection(model: ReportModel, king: KingModel): string {
  const head = king.phases
    .map(
      (p) =>
        `<th data-phase="${p.phase}" class="${p.kingTraitor ? 'traitor-king' : ''}">${p.phase}<br><span class="king-name">G${p.king}</span></th>`,
    )
    .join('');
  const rows = model.roster.map((r) => {
    const start = king.initial[r.id] ?? '-';
    let before = start;
    const cells = king.phases.map((p) => {
      const x = p.x[r.id] ?? '-';
      const classes = [
        'x',
        x,
        p.king === r.id ? 'king' : '',
        p.tookKing[r.id] === '1' ? 'took' : '',
        x !== before && x !== '-' && before !== '-' ? 'changed' : '',
      ].filter(Boolean);
      before = x;
      return `<td class="${classes.join(' ')}" data-g="${r.id}" data-p="${p.phase}">${x}</td>`;
    });
    const cls = r.traitor ? 'traitor' : r.traced ? 'loyal' : 'untraced';
    return `<tr class="${cls}" data-general="${r.id}"><th>G${r.id}${r.traitor ? ` <span class="note">${escapeHtml(r.strategy)}</span>` : ''}</th><td class="x ${start}" data-g="${r.id}" data-p="0">${start}</td>${cells.join('')}</tr>`;
  });
  const summary = king.phases.map((p) => {
    let loyalA = 0;
    let loyalR = 0;
    let took = 0;
    for (const r of model.roster) {
      if (p.tookKing[r.id] === '1') took++;
      if (r.traitor || !r.traced) continue;
      if (p.x[r.id] === 'A') loyalA++;
      if (p.x[r.id] === 'R') loyalR++;
    }
    const agree = loyalA === 0 || loyalR === 0;
    return `<tr data-phase="${p.phase}" class="${agree ? 'agree' : 'split'}"><td>${p.phase}</td><td>G${p.king}</td><td>${escapeHtml(p.kingTraitor ? `traitor (${p.kingStrategy})` : p.kingStrategy)}</td><td class="num">${loyalA}/${loyalR}</td><td class="num">${took}</td><td>${agree ? 'agree' : 'split'}</td></tr>`;
  });
  return `<p class="help">A row per general, a column per phase: its x after round 0 and at the end of each phase (<span class="v A">A</span> ATTACK, <span class="v R">R</span> RETREAT). The king's own cell is outlined; a dot marks a general that took the king's value because fewer than n-t=${model.n - model.t} of the proposals it counted backed its x; bold marks a change. Click a cell for the counts behind it. Once a phase has a loyal king every loyal general leaves it with the same x, and keeps it.</p>
<table id="phases-table"><thead><tr><th>phase</th><th>king</th><th>the king is</th><th>loyal x A/R at its end</th><th>took the king's value</th><th>loyal generals</th></tr></thead><tbody>
${summary.join('\n')}
</tbody></table>
<div class="scroll"><table id="x-grid"><thead><tr><th>general</th><th>round 0</th>${head}</tr></thead><tbody>
${rows.join('\n')}
</tbody></table></div>
<div id="phase-detail" class="detail" hidden></div>`;
}

const letterOf = (order: string | null) => (order === null ? '-' : order[0]);

/** The page's data for a King run: its rounds, its fans (clicked in aggregated diagrams) and every general's phases. */
export function kingPageData(king: KingModel): string {
  const data = {
    rounds: king.rounds.map((r) => [r.kind, r.phase, r.king]),
    fans: king.fans.map((f) => [f.round, f.from, f.received, f.lies]),
    generals: Object.fromEntries(
      king.generals.map((g) => [
        g.id,
        g.phases.map((p) => [
          letterOf(p.start),
          p.values.attack,
          p.values.retreat,
          letterOf(p.proposal),
          p.proposals.attack,
          p.proposals.retreat,
          letterOf(p.kingValue),
          p.tookKing ? 1 : 0,
          letterOf(p.x),
        ]),
      ]),
    ),
  };
  return `<script type="application/json" id="report-king">${scriptJson(data)}</script>`;
}
