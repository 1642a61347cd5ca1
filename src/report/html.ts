import { BROWSER_SCRIPT } from './browser-script.js';
import { escapeHtml, fmt, scriptJson } from './html-text.js';
import {
  kingCountsBlock,
  kingDiagram,
  kingPageData,
  kingPhasesSection,
  kingRosterTable,
} from './king-html.js';
import { ARROW_HEADS, type DiagramGeometry, drawLanes, laneY } from './lanes.js';
import { AGGREGATE_ABOVE, type Arrow, type ChainView, type ReportModel, type Withheld } from './model.js';
import { rosterCells } from './roster-cells.js';
import { REPORT_STYLE } from './style.js';

/**
 * Renders a ReportModel as one self-contained HTML file: inline CSS, an inline SVG Lamport diagram
 * drawn here, the model's data as inline JSON, and a small inline script for the clicks and the
 * EIG tree (OM). An SM run shows each lieutenant's signed chains, V and choice(V) instead, drawn
 * here. Nothing is fetched.
 */

export { escapeHtml };

export function diagramGeometry(n: number, t: number): DiagramGeometry {
  const laneGap = n <= 12 ? 44 : n <= 20 ? 30 : 22;
  const step = n <= 12 ? 22 : n <= 20 ? 14 : 9;
  const slant = 36;
  const top = 46;
  const left = 200;
  const columns: number[] = [];
  let x = left;
  for (let round = 0; round <= t; round++) {
    columns.push(x);
    x += round === 0 ? 40 + slant + 40 : 30 + (n - 2) * step + slant + 30;
  }
  return { laneGap, top, left, step, slant, columns, width: x + 20, height: top + (n - 1) * laneGap + 40 };
}

/** Where a sender's arrows leave in a round: senders are staggered so that their arrows stay apart. */
function senderX(g: DiagramGeometry, round: number, from: number): number {
  const column = g.columns[round] ?? g.left;
  return round === 0 ? column + 40 : column + 30 + (from - 1) * g.step;
}

function arrowTitle(a: Arrow): string {
  const what = a.rejected === undefined ? `${a.values.length} values` : `REJECTED (${a.rejected})`;
  const lies = a.lies > 0 ? `, ${a.lies} ${a.lies === 1 ? 'lie' : 'lies'}` : '';
  const ignored = (a.invalid ?? 0) > 0 ? `, ${a.invalid} ignored (chain did not verify)` : '';
  return `round ${a.round}: general ${a.from} → ${a.to}, ${what}${lies}${ignored} (click for the values)`;
}

function drawArrows(model: ReportModel, g: DiagramGeometry): string {
  const out: string[] = [];
  model.arrows.forEach((a, i) => {
    const x1 = senderX(g, a.round, a.from);
    const classes = [
      'arrow',
      a.lies > 0 ? 'lie' : '',
      (a.invalid ?? 0) > 0 ? 'invalid' : '',
      a.rejected === undefined ? '' : 'rejected',
    ]
      .filter(Boolean)
      .join(' ');
    const marker = a.rejected !== undefined ? 'head-rej' : a.lies > 0 ? 'head-lie' : 'head';
    out.push(
      `<line class="${classes}" data-i="${i}" x1="${x1}" y1="${laneY(g, a.from)}" x2="${x1 + g.slant}" y2="${laneY(g, a.to)}" marker-end="url(#${marker})"><title>${escapeHtml(arrowTitle(a))}</title></line>`,
    );
  });
  return out.join('\n');
}

/** Past AGGREGATE_ABOVE batches: one path per (round, sender), fanning out to every receiver. */
function drawFans(model: ReportModel, g: DiagramGeometry): string {
  const groups = new Map<string, Arrow[]>();
  for (const a of model.arrows) {
    const key = `${a.round}:${a.from}`;
    const list = groups.get(key) ?? [];
    list.push(a);
    groups.set(key, list);
  }
  const out: string[] = [];
  for (const [key, arrows] of groups) {
    const [round = 0, from = 0] = key.split(':').map(Number);
    const x1 = senderX(g, round, from);
    const y1 = laneY(g, from);
    const lies = arrows.reduce((sum, a) => sum + a.lies, 0);
    const rejected = arrows.filter((a) => a.rejected !== undefined).length;
    const values = arrows.reduce((sum, a) => sum + a.values.length, 0);
    const title = `round ${round}: general ${from} → ${arrows.length} generals, ${fmt(values)} values${lies > 0 ? `, ${fmt(lies)} lies` : ''}${rejected > 0 ? `, ${rejected} rejected` : ''} (click for the batches)`;
    // Up to three paths per fan, so that only the batches that carry lies (or were refused) stand out.
    const kinds = [
      ['fan', arrows.filter((a) => a.lies === 0 && a.rejected === undefined)],
      ['fan lie', arrows.filter((a) => a.lies > 0)],
      ['fan rejected', arrows.filter((a) => a.rejected !== undefined)],
    ] as const;
    for (const [classes, part] of kinds) {
      if (part.length === 0) continue;
      const d = part.map((a) => `M${x1} ${y1}L${x1 + g.slant} ${laneY(g, a.to)}`).join('');
      out.push(
        `<path class="${classes}" data-fan="${round}:${from}" d="${d}"><title>${escapeHtml(title)}</title></path>`,
      );
    }
  }
  return out.join('\n');
}

function drawWithheld(withheld: readonly Withheld[], g: DiagramGeometry): string {
  return withheld
    .map((w) => {
      const x1 = senderX(g, w.round, w.from);
      const title = `round ${w.round}: general ${w.from} withheld its batch to ${w.to} (${w.values} values)`;
      return `<line class="withheld" x1="${x1}" y1="${laneY(g, w.from)}" x2="${x1 + g.slant}" y2="${laneY(g, w.to)}"><title>${escapeHtml(title)}</title></line>`;
    })
    .join('\n');
}

function diagram(model: ReportModel): string {
  const g = diagramGeometry(model.n, model.t);
  const lanes = drawLanes(model.roster, g);
  const columns = model.rounds
    .map((round) => {
      const x = g.columns[round.round] ?? g.left;
      const time = round.elapsedMs === null ? '' : ` · ${round.elapsedMs.toFixed(0)} ms`;
      return `<g class="round-column"><line x1="${x}" y1="14" x2="${x}" y2="${g.height - 10}"/><text x="${x + 6}" y="24">round ${round.round}${time}</text></g>`;
    })
    .join('\n');
  const body = model.aggregated ? drawFans(model, g) : drawArrows(model, g);
  return `<svg id="lamport" xmlns="http://www.w3.org/2000/svg" width="${g.width}" height="${g.height}" viewBox="0 0 ${g.width} ${g.height}" role="img" aria-label="Lamport diagram of run ${escapeHtml(model.runId)}">
${ARROW_HEADS}
${columns}
${lanes}
<g class="arrows">
${body}
${drawWithheld(model.withheld, g)}
</g>
</svg>`;
}

function rosterTable(model: ReportModel): string {
  const signed = model.algorithm === 'sm';
  const rows = model.roster.map((r) => {
    const { rowClass: cls, kind, decision, recomputed, note } = rosterCells(r);
    const held =
      r.role === 'commander'
        ? '—'
        : signed
          ? fmt(r.valuesHeld)
          : `${fmt(r.valuesHeld)} / ${fmt(r.valuesExpected)}`;
    return `<tr class="${cls}" data-general="${r.id}"><td>${r.id}</td><td>${r.role}</td><td class="kind">${kind}${note}</td><td>${escapeHtml(r.strategy)}</td><td class="decision">${escapeHtml(decision)}</td><td class="resolved">${escapeHtml(recomputed)}</td><td class="num">${r.tally?.attack ?? '—'}</td><td class="num">${r.tally?.retreat ?? '—'}</td><td class="num">${held}</td><td class="num">${fmt(r.liesTold)}</td></tr>`;
  });
  const head = signed
    ? '<th>choice(V)</th><th>valid ATTACK chains</th><th>valid RETREAT chains</th><th>valid chains</th>'
    : '<th>from its EIG tree</th><th>ATTACK held</th><th>RETREAT held</th><th>values held</th>';
  return `<table id="roster-table"><thead><tr><th>general</th><th>role</th><th>loyal?</th><th>strategy</th><th>decision</th>${head}<th>lies told</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

function verdictBlock(model: ReportModel): string {
  const v = model.verdict;
  const ic1 = v.ic1
    ? 'IC1 holds: every loyal lieutenant decided alike'
    : `IC1 FAILS: loyal lieutenants split, ATTACK: ${v.byDecision.ATTACK.join(',')}; RETREAT: ${v.byDecision.RETREAT.join(',')}`;
  const ic2 = v.ic2
    ? 'IC2 holds: loyal lieutenants follow a loyal commander'
    : `IC2 FAILS: loyal lieutenants ${v.ic2Violators.join(',')} did not follow the loyal commander's ${model.order}`;
  const consensus = v.consensus === null ? 'No consensus reached' : `Final consensus reached: ${v.consensus}`;
  const unsafe = !model.unsafe
    ? ''
    : model.algorithm === 'sm'
      ? `<p class="warn">n=${model.n} &lt; t+2=${model.t + 2}: SM(${model.t}) guarantees nothing here.</p>`
      : `<p class="warn">n=${model.n} ≤ 3t=${3 * model.t}: ${model.algorithm === 'king' ? 'King' : 'OM'}(${model.t}) guarantees nothing here.</p>`;
  return `<div id="verdict">
<p id="ic1" class="${v.ic1 ? 'ok' : 'fail'}">${escapeHtml(ic1)}</p>
<p id="ic2" class="${v.ic2 ? 'ok' : 'fail'}">${escapeHtml(ic2)}</p>
<p id="consensus">${escapeHtml(consensus)}</p>${unsafe}
</div>`;
}

function countsBlock(model: ReportModel): string {
  if (model.algorithm === 'sm') return signedCountsBlock(model);
  const c = model.counts;
  const rows = model.rounds.map(
    (r) =>
      `<tr data-round="${r.round}"><td>${r.round}</td><td class="num">${fmt(r.batches)} / ${fmt(r.batchesExpected)}</td><td class="num">${fmt(r.values)}</td><td class="num">${fmt(r.lies)}</td><td class="num">${r.rejected}</td><td class="num">${r.withheld}</td><td class="num">${r.elapsedMs === null ? '—' : `${r.elapsedMs.toFixed(1)} ms`}${r.timedOut > 0 ? ` (${r.timedOut} timed out)` : ''}</td></tr>`,
  );
  return `<ul id="counts">
<li><b id="count-batches">${fmt(c.batches)}</b> of ${fmt(c.batchesExpected)} batches accepted${c.rejected > 0 ? `, ${fmt(c.rejected)} rejected` : ''}</li>
<li><b id="count-values">${fmt(c.values)}</b> of ${fmt(c.valuesExpected)} logical messages (values) delivered</li>
<li><b id="count-lies">${fmt(c.lies)}</b> lies told${c.withheldValues > 0 ? `, ${fmt(c.withheldValues)} of them values withheld` : ''}</li>
${model.elapsedMs === null ? '' : `<li>run time ${model.elapsedMs.toFixed(1)} ms</li>`}
</ul>
<table id="rounds-table"><thead><tr><th>round</th><th>batches</th><th>values</th><th>lies</th><th>rejected</th><th>withheld</th><th>slowest close</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

/** SM: chains in place of values (their number depends on the traitors), and the ignored ones. */
function signedCountsBlock(model: ReportModel): string {
  const c = model.counts;
  const rows = model.rounds.map(
    (r) =>
      `<tr data-round="${r.round}"><td>${r.round}</td><td class="num">${fmt(r.batches)} / ${fmt(r.batchesExpected)}</td><td class="num">${fmt(r.values)}</td><td class="num">${fmt(r.values - r.invalid)}</td><td class="num">${fmt(r.invalid)}</td><td class="num">${fmt(r.lies)}</td><td class="num">${r.rejected}</td><td class="num">${r.withheld}</td><td class="num">${r.elapsedMs === null ? '—' : `${r.elapsedMs.toFixed(1)} ms`}${r.timedOut > 0 ? ` (${r.timedOut} timed out)` : ''}</td></tr>`,
  );
  return `<ul id="counts">
<li><b id="count-batches">${fmt(c.batches)}</b> of ${fmt(c.batchesExpected)} batches accepted${c.rejected > 0 ? `, ${fmt(c.rejected)} rejected` : ''}</li>
<li><b id="count-chains">${fmt(c.values)}</b> signed chains sent (at most ${fmt(c.valuesExpected)} in any SM(${model.t}) run of ${model.n}): <b id="count-valid">${fmt(c.values - c.invalid)}</b> valid, <b id="count-invalid">${fmt(c.invalid)}</b> ignored because a signature did not verify</li>
<li><b id="count-lies">${fmt(c.lies)}</b> lies told${c.withheldValues > 0 ? `, ${fmt(c.withheldValues)} of them relays withheld` : ''}</li>
${model.elapsedMs === null ? '' : `<li>run time ${model.elapsedMs.toFixed(1)} ms</li>`}
</ul>
<table id="rounds-table"><thead><tr><th>round</th><th>batches</th><th>chains</th><th>valid</th><th>ignored</th><th>lies</th><th>rejected</th><th>withheld</th><th>slowest close</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

/**
 * The data the page's script needs, in compact arrays and in separate JSON elements, so that a large
 * run's page parses only what it shows: the batches on the first click, a tree when it is chosen.
 */
function pageData(model: ReportModel): string {
  const head = {
    n: model.n,
    t: model.t,
    order: model.order,
    algorithm: model.algorithm,
    aggregated: model.aggregated,
    roster: model.roster.map((r) => ({
      id: r.id,
      strategy: r.strategy,
      traitor: r.traitor,
      traced: r.traced,
    })),
  };
  const arrows = model.arrows.map((a) => [
    a.round,
    a.from,
    a.to,
    a.values,
    a.lies,
    a.lieMask,
    a.rejected ?? '',
    // SM only: each value's chain signers, and 1 where the value was ignored.
    ...(model.algorithm === 'sm' ? [a.chains ?? [], a.invalidMask ?? ''] : []),
  ]);
  const parts = [
    `<script type="application/json" id="report-data">${scriptJson(head)}</script>`,
    `<script type="application/json" id="report-arrows">${scriptJson(arrows)}</script>`,
    ...(model.king === null ? [] : [kingPageData(model.king)]),
    ...model.trees.map(
      (tree) =>
        `<script type="application/json" id="tree-${tree.lieutenant}">${scriptJson({
          held: tree.held,
          resolved: tree.resolved,
          lied: tree.lied,
          decision: tree.decision,
        })}</script>`,
    ),
  ];
  return parts.join('\n');
}

function treeSection(model: ReportModel): string {
  const options = model.trees
    .map((tree) => {
      const r = model.roster[tree.lieutenant];
      const who = r?.traitor ? `traitor, ${r.strategy}` : 'loyal';
      return `<option value="${tree.lieutenant}">lieutenant ${tree.lieutenant} (${escapeHtml(who)}): ${tree.decision}</option>`;
    })
    .join('');
  const firstLoyal = model.trees.find((tree) => !model.roster[tree.lieutenant]?.traitor) ?? model.trees[0];
  return `<label for="lieutenant">Show the tree of</label> <select id="lieutenant" data-initial="${firstLoyal?.lieutenant ?? ''}">${options}</select>
<p class="help">A node <code>0→3→5</code> is what this lieutenant heard from 5 about what 3 said the commander (0) ordered. Leaves keep the value held; every other node resolves to the majority of its own value and its children's resolved values (a tie gives RETREAT), up to the root: the lieutenant's decision. Red nodes hold a lie; <code>-</code> is a value that never arrived (read as RETREAT). Open a node to see its children.</p>
<h3 id="tree-title"></h3>
<div id="tree"></div>`;
}

const ORDER_LETTER = { A: 'ATTACK', R: 'RETREAT' } as const;
const valueSpan = (l: 'A' | 'R') => `<span class="v ${l}">${ORDER_LETTER[l]}</span>`;

/** SM: one lieutenant's chains (accepted and ignored), its V, and choice(V) against what it reported. */
function chainViewBlock(model: ReportModel, view: ChainView, open: boolean): string {
  const r = model.roster[view.lieutenant];
  const who = r?.traitor ? `traitor, ${r.strategy}` : 'loyal';
  const rows = view.chains.map((c) => {
    const status: string[] = [c.valid ? 'accepted' : 'IGNORED: a signature in the chain does not verify'];
    if (c.lie !== undefined) status.push(`lie by general ${c.from} (loyal: ${ORDER_LETTER[c.lie]})`);
    const cls = ['chain', c.valid ? 'valid' : 'ignored', c.lie === undefined ? '' : 'lie'].filter(Boolean);
    return `<tr class="${cls.join(' ')}" data-signers="${escapeHtml(c.signers)}" data-valid="${c.valid ? 1 : 0}"><td class="num">${c.round}</td><td class="num">${c.from}</td><td class="signers">${escapeHtml(c.signers)}</td><td>${valueSpan(c.value)}</td><td class="status">${escapeHtml(status.join(' · '))}</td></tr>`;
  });
  const v = view.v.length === 0 ? '{} (empty)' : `{${view.v.join(', ')}}`;
  const why =
    view.v.length === 1
      ? 'its single value'
      : view.v.length === 0
        ? 'V is empty: RETREAT'
        : 'both values: the commander signed two orders, RETREAT';
  const reported = r?.decision ?? null;
  const check =
    reported === null
      ? ' (it reported no decision)'
      : reported === view.decision
        ? ` (reported ${reported} ✓)`
        : ` (reported ${reported} ✗)`;
  const table =
    rows.length === 0
      ? '<p class="note">No chain arrived.</p>'
      : `<table class="chains"><thead><tr><th>round</th><th>from</th><th>chain (signers)</th><th>value</th><th>status</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
  return `<details class="chain-view" id="chains-${view.lieutenant}" data-lieutenant="${view.lieutenant}"${open ? ' open' : ''}>
<summary>Lieutenant ${view.lieutenant} (${escapeHtml(who)}): choice(V) = ${view.decision}</summary>
${table}
<p class="v-set">V = <b>${v}</b></p>
<p class="choice ${reported !== null && reported !== view.decision ? 'mismatch' : ''}">choice(V) = <b>${view.decision}</b>, ${why}${check}</p>
</details>`;
}

function chainsSection(model: ReportModel): string {
  const open = model.n <= 12;
  const firstLoyal = model.chainViews.find((view) => !model.roster[view.lieutenant]?.traitor);
  return `<p class="help">A chain <code>0.2.1</code> is a value the commander (0) signed, then 2, then 1 (its sender): each signer signed the value and the chain before it. A lieutenant adds a value to V when a chain for it verifies; a chain whose signatures do not verify (a traitor tampered with the value) is <span class="key invalid">ignored</span>. After round ${model.t} it decides choice(V): the single value in V, else RETREAT.</p>
${model.chainViews.map((view) => chainViewBlock(model, view, open || view === firstLoyal)).join('\n')}`;
}

export function renderHtml(model: ReportModel): string {
  const signed = model.algorithm === 'sm';
  const king = model.king;
  const name = king !== null ? 'King' : signed ? 'SM' : 'OM';
  const title = `${name}(${model.t}) among ${model.n} generals, order ${model.order}, run ${model.runId}`;
  const warnings =
    model.warnings.length === 0
      ? ''
      : `<ul id="warnings">${model.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`;
  const drawn =
    king !== null
      ? model.aggregated
        ? `${fmt(model.counts.batches)} messages: above ${fmt(AGGREGATE_ABOVE)}, each sender's messages of a round are drawn as one wedge to its receivers; click a wedge for what each receiver got.`
        : 'An arrow per message (one batch per sender, receiver and round); grey dashes are propose(none); hover for a summary, click for more.'
      : model.aggregated
        ? `${fmt(model.arrows.length)} batches: above ${fmt(AGGREGATE_ABOVE)}, each sender's batches of a round are drawn as one fan; click a fan for its batches.`
        : 'An arrow per batch (one SendOrder RPC per sender, receiver and round); hover for a summary, click for its values.';
  const phasesKey =
    king === null
      ? ''
      : ' Each phase is a band over its three rounds (value, propose, king), named after its king, whose lane is highlighted; <span class="key king">gold</span>: the king\'s round.';
  const invalidKey = signed
    ? ' <span class="key invalid">dash-dot</span>: carries a chain whose signatures did not verify, ignored by its receiver.'
    : '';
  const decided =
    king !== null
      ? `<section id="phases"><h2>How each general's x moved, phase by phase</h2>
${kingPhasesSection(model, king)}
</section>`
      : signed
        ? `<section id="chains"><h2>How a lieutenant decided: its signed chains, V and choice(V)</h2>
${chainsSection(model)}
</section>`
        : `<section id="eig"><h2>How a lieutenant decided: its EIG tree</h2>
${treeSection(model)}
</section>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="source">From the ${escapeHtml(model.source)}${model.startedAt === null ? '' : `, started ${escapeHtml(model.startedAt)}`}.</p>
</header>
${warnings}
<section id="decisions"><h2>Decisions</h2>
${verdictBlock(model)}
${king === null ? rosterTable(model) : kingRosterTable(model, king)}
</section>
<section id="counts-section"><h2>Counts</h2>
${king === null ? countsBlock(model) : kingCountsBlock(model, king)}
</section>
<section id="diagram"><h2>Who told whom what</h2>
<p class="help">${drawn} A lane per general; time runs right, a column per round. <span class="key lie">red</span>: the batch carries lies; <span class="key rejected">dashed orange</span>: rejected by its receiver; <span class="key withheld">dotted red</span>: withheld by a silent traitor.${invalidKey}${phasesKey}</p>
<div class="scroll">${king === null ? diagram(model) : kingDiagram(model, king)}</div>
<div id="detail" class="detail" hidden></div>
</section>
${decided}
${pageData(model)}
<script>${BROWSER_SCRIPT}</script>
</body>
</html>
`;
}
