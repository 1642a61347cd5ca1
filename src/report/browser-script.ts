/**
 * The report page's only script, inlined as text: the values behind a clicked arrow (under SM each
 * labelled with its chain, the ignored ones marked), and the EIG tree (OM) of the chosen lieutenant,
 * built lazily as nodes are opened. It resolves nothing itself: every
 * resolved value comes from the model (src/report/model.ts). It only walks the tree's preorder
 * layout and enumerates a batch's paths to label values.
 */
export const BROWSER_SCRIPT = String.raw`
(function () {
  'use strict';
  function parsed(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }
  var data = parsed('report-data');
  // Parsed on first use: a large run's batches and trees are megabytes.
  var arrowCache = null;
  function arrows() {
    if (arrowCache === null) arrowCache = parsed('report-arrows') || [];
    return arrowCache;
  }
  var treeCache = {};
  function treeOf(id) {
    if (!(id in treeCache)) treeCache[id] = parsed('tree-' + id);
    return treeCache[id];
  }
  var n = data.n, t = data.t;
  var signed = data.algorithm === 'sm';
  var king = data.algorithm === 'king';
  var kingCache = null;
  function kingData() {
    if (kingCache === null) kingCache = parsed('report-king');
    return kingCache;
  }
  // King: what a message carried, as the page names it ('' is propose(none)).
  function kingMessage(round, letter) {
    var kind = kingData().rounds[round][0];
    var v = letter === 'A' ? 'ATTACK' : letter === 'R' ? 'RETREAT' : null;
    if (kind === 'order') return 'order ' + v;
    if (kind === 'value') return 'value(' + v + ')';
    if (kind === 'propose') return v === null ? 'propose(none)' : 'propose(' + v + ')';
    return "the king's " + v;
  }
  function kingRoundName(round) {
    var info = kingData().rounds[round];
    return round === 0 ? 'Round 0 (order)' : 'Round ' + round + ' (phase ' + info[1] + ', ' + info[0] + ')';
  }
  var NAME = { A: 'ATTACK', R: 'RETREAT', '-': 'missing' };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function value(letter) {
    return el('span', 'v ' + (letter === '-' ? 'missing' : letter), letter === '-' ? '-' : NAME[letter]);
  }
  function pathText(path) { return path.join('→'); }

  // A node whose path has L generals spans size[L] preorder entries.
  var size = [];
  if (!signed) {
    size[t + 1] = 1;
    for (var L = t; L >= 1; L--) size[L] = 1 + (n - 1 - L) * size[L + 1];
  }

  // The EIG paths of a batch's values in wire order, each as the receiver stores it (path + sender).
  function batchPaths(round, from, to) {
    if (round === 0) return [[0]];
    var out = [];
    var prefix = [0];
    (function extend() {
      if (prefix.length === round) { out.push(prefix.concat([from])); return; }
      for (var id = 1; id < n; id++) {
        if (id === from || id === to || prefix.indexOf(id) >= 0) continue;
        prefix.push(id); extend(); prefix.pop();
      }
    })();
    return out;
  }

  var detail = document.getElementById('detail');
  var selected = null;
  function select(node) {
    if (selected) selected.classList.remove('selected');
    selected = node;
    if (node) node.classList.add('selected');
  }

  function showKingArrow(a) {
    var round = a[0], from = a[1], to = a[2], values = a[3], lies = a[4], rejected = a[6];
    detail.hidden = false;
    detail.textContent = '';
    detail.setAttribute('data-arrow', round + ':' + from + ':' + to);
    var head = kingRoundName(round) + ': general ' + from + ' → general ' + to + ': ' + kingMessage(round, values);
    if (rejected) head += ' — REJECTED by general ' + to + ' (' + rejected + ')';
    detail.appendChild(el('h3', '', head));
    if (lies > 0) {
      var loyal = values === 'A' ? 'RETREAT' : 'ATTACK';
      detail.appendChild(el('p', 'lie', 'A lie: a loyal general ' + from + ' would have sent ' + loyal + '.'));
    }
  }

  // King, aggregated: one sender's messages of a round, receiver by receiver.
  function showKingFan(round, from) {
    var fan = null;
    kingData().fans.forEach(function (f) { if (f[0] === round && f[1] === from) fan = f; });
    if (!fan) return;
    detail.hidden = false;
    detail.textContent = '';
    detail.setAttribute('data-fan', round + ':' + from);
    detail.appendChild(el('h3', '', kingRoundName(round) + ': what general ' + from + ' sent each receiver'));
    var box = el('div', 'values');
    for (var to = 0; to < n; to++) {
      var mark = fan[2].charAt(to), lie = fan[3].charAt(to);
      if (mark === ' ') continue;
      var text = mark === 'A' || mark === 'R' ? kingMessage(round, mark)
        : mark === 'n' ? 'propose(none)' : mark === 'x' ? 'REJECTED' : mark === '?' ? 'no trace' : 'nothing arrived';
      if (lie === '1') text += ' (lie)';
      if (lie === 'w') text += ' (withheld)';
      box.appendChild(el('span', lie === '1' || lie === 'w' ? 'lie' : '', '→ ' + to + ': ' + text));
    }
    detail.appendChild(box);
  }

  // King: the counts behind one cell of the x grid.
  var phaseDetail = document.getElementById('phase-detail');
  var selectedCell = null;
  function showPhase(g, p) {
    var phases = kingData().generals[g] || [];
    phaseDetail.hidden = false;
    phaseDetail.textContent = '';
    phaseDetail.setAttribute('data-cell', g + ':' + p);
    if (p === 0) {
      var first = phases[0];
      phaseDetail.appendChild(el('h3', '', 'General ' + g + ' after round 0: x = ' + (first ? NAME[first[0]] : 'unknown')));
      phaseDetail.appendChild(el('p', '', g === 0 ? 'The commander starts from its own order.' : 'What the commander sent it; RETREAT if nothing arrived.'));
      return;
    }
    var r = phases[p - 1];
    var kingId = p - 1;
    phaseDetail.appendChild(el('h3', '', 'General ' + g + ', phase ' + p + ' (king ' + kingId + ')' + (r ? ': x ' + NAME[r[0]] + ' → ' + NAME[r[8]] : '')));
    if (!r) { phaseDetail.appendChild(el('p', '', 'No record of this phase (the general stopped early or left no trace).')); return; }
    var list = el('ul', 'phase-steps');
    list.appendChild(el('li', '', 'value round: c(ATTACK) = ' + r[1] + ', c(RETREAT) = ' + r[2] + ' (its own included); n-t = ' + (n - t) + ', so it proposed ' + (r[3] === '-' ? 'none' : NAME[r[3]])));
    list.appendChild(el('li', '', 'propose round: P(ATTACK) = ' + r[4] + ', P(RETREAT) = ' + r[5] + '; a value with P > t = ' + t + ' becomes x'));
    var kingLine = g === kingId ? 'king round: it is the king, it sent its x and kept it'
      : 'king round: the king sent ' + (r[6] === '-' ? 'nothing (read as RETREAT)' : NAME[r[6]]) + '; ' + (r[7] ? 'P(x) < n-t, so it took the king\'s value' : 'P(x) ≥ n-t, so it kept its x');
    list.appendChild(el('li', r[7] ? 'took' : '', kingLine));
    phaseDetail.appendChild(list);
  }
  var grid = document.getElementById('x-grid');
  if (grid) {
    grid.addEventListener('click', function (event) {
      var cell = event.target.closest('td[data-g]');
      if (!cell) return;
      if (selectedCell) selectedCell.classList.remove('selected');
      selectedCell = cell;
      cell.classList.add('selected');
      showPhase(Number(cell.getAttribute('data-g')), Number(cell.getAttribute('data-p')));
    });
  }

  function showArrow(index) {
    var a = arrows()[index];
    if (king) { showKingArrow(a); return; }
    var round = a[0], from = a[1], to = a[2], values = a[3], lies = a[4], mask = a[5], rejected = a[6];
    var chains = a[7] || [], ignoredMask = a[8] || '';
    var ignored = 0;
    for (var k = 0; k < ignoredMask.length; k++) if (ignoredMask.charAt(k) === '1') ignored++;
    detail.hidden = false;
    detail.textContent = '';
    detail.setAttribute('data-arrow', round + ':' + from + ':' + to);
    var head = 'Round ' + round + ': general ' + from + ' → general ' + to + ', ' + values.length + ' values';
    if (lies > 0) head += ', ' + lies + (lies === 1 ? ' lie' : ' lies');
    if (ignored > 0) head += ', ' + ignored + ' ignored (chain did not verify)';
    if (rejected) head += ' — REJECTED by general ' + to + ' (' + rejected + ')';
    detail.appendChild(el('h3', '', head));
    if (values.length === 0) return;
    var paths = signed ? [] : batchPaths(round, from, to);
    var box = el('div', 'values');
    for (var i = 0; i < values.length; i++) {
      var lied = mask.charAt(i) === '1';
      var bad = ignoredMask.charAt(i) === '1';
      var item = el('span', [lied ? 'lie' : '', bad ? 'invalid' : ''].join(' ').trim());
      var label = signed ? 'chain ' + (chains[i] || '?') : paths[i] ? pathText(paths[i]) : '?';
      item.appendChild(document.createTextNode(label + ' '));
      item.appendChild(value(values.charAt(i)));
      if (lied) {
        var loyal = values.charAt(i) === 'A' ? 'RETREAT' : 'ATTACK';
        item.title = 'a lie: a loyal general ' + from + ' would have sent ' + loyal;
        item.appendChild(document.createTextNode(' (lie; loyal: ' + loyal + ')'));
      }
      if (bad) {
        item.appendChild(el('span', 'ignored', 'IGNORED: a signature does not verify'));
      }
      box.appendChild(item);
    }
    detail.appendChild(box);
  }

  function showFan(round, from) {
    detail.hidden = false;
    detail.textContent = '';
    detail.setAttribute('data-fan', round + ':' + from);
    detail.appendChild(el('h3', '', 'Round ' + round + ': the batches general ' + from + ' sent (pick one for its values)'));
    arrows().forEach(function (a, index) {
      if (a[0] !== round || a[1] !== from) return;
      var label = '→ ' + a[2] + ': ' + a[3].length + ' values' + (a[4] > 0 ? ', ' + a[4] + ' lies' : '') + (a[6] ? ', rejected' : '');
      var button = el('button', a[4] > 0 ? 'lie' : '', label);
      button.addEventListener('click', function () { showArrow(index); });
      detail.appendChild(button);
    });
  }

  document.getElementById('lamport').addEventListener('click', function (event) {
    var target = event.target.closest('[data-i],[data-fan],[data-kfan]');
    if (!target) return;
    select(target);
    if (target.hasAttribute('data-i')) showArrow(Number(target.getAttribute('data-i')));
    else if (target.hasAttribute('data-kfan')) {
      var at = target.getAttribute('data-kfan').split(':');
      showKingFan(Number(at[0]), Number(at[1]));
    }
    else {
      var parts = target.getAttribute('data-fan').split(':');
      showFan(Number(parts[0]), Number(parts[1]));
    }
  });

  // The EIG tree of one lieutenant.
  var chooser = document.getElementById('lieutenant');
  var treeBox = document.getElementById('tree');
  var treeTitle = document.getElementById('tree-title');
  var openDepth = n <= 16 ? 2 : 1;

  function renderTree(id) {
    var tree = treeOf(id);
    treeBox.textContent = '';
    treeBox.setAttribute('data-lieutenant', String(id));
    if (!tree) { treeTitle.textContent = 'No trace of lieutenant ' + id; return; }
    var who = data.roster[id] && data.roster[id].traitor ? 'a traitor (' + data.roster[id].strategy + ')' : 'loyal';
    treeTitle.textContent = 'EIG tree of lieutenant ' + id + ', ' + who + ': decision ' + tree.decision;
    var lied = {};
    tree.lied.forEach(function (entry) { lied[entry[0]] = entry; });

    function children(offset, path) {
      var out = [];
      var k = 0;
      for (var j = 1; j < n; j++) {
        if (j === id || path.indexOf(j) >= 0) continue;
        out.push({ offset: offset + 1 + k * size[path.length + 1], path: path.concat([j]) });
        k++;
      }
      return out;
    }

    function label(container, offset, path) {
      var heldLetter = tree.held.charAt(offset);
      var pathSpan = el('span', 'path', pathText(path));
      container.appendChild(pathSpan);
      container.appendChild(document.createTextNode(' held '));
      container.appendChild(value(heldLetter));
      var lie = lied[offset];
      if (lie) {
        container.classList.add('lie');
        container.appendChild(el('span', 'lie', ' lie by general ' + lie[1] + ' (loyal: ' + NAME[lie[2]] + ')'));
      }
    }

    function node(offset, path) {
      var resolved = tree.resolved.charAt(offset);
      if (path.length === t + 1) {
        var leaf = el('div', 'leaf');
        leaf.setAttribute('data-path', path.join('.'));
        leaf.setAttribute('data-resolved', resolved);
        label(leaf, offset, path);
        return leaf;
      }
      var kids = children(offset, path);
      var own = tree.held.charAt(offset) === 'A' ? 'A' : 'R';
      var attack = own === 'A' ? 1 : 0;
      kids.forEach(function (kid) { if (tree.resolved.charAt(kid.offset) === 'A') attack++; });
      var retreat = kids.length + 1 - attack;
      var box = el('details', 'node');
      box.setAttribute('data-path', path.join('.'));
      box.setAttribute('data-resolved', resolved);
      var summary = el('summary');
      label(summary, offset, path);
      summary.appendChild(el('span', 'why', ' · majority of own + ' + kids.length + ' children: ATTACK ' + attack + ', RETREAT ' + retreat + ' → '));
      summary.appendChild(value(resolved));
      if (path.length === 1) summary.appendChild(el('b', '', ' = decision'));
      box.appendChild(summary);
      var filled = false;
      function fill() {
        if (filled) return;
        filled = true;
        var fragment = document.createDocumentFragment();
        kids.forEach(function (kid) { fragment.appendChild(node(kid.offset, kid.path)); });
        box.appendChild(fragment);
      }
      box.addEventListener('toggle', function () { if (box.open) fill(); });
      if (path.length <= openDepth) { fill(); box.open = true; }
      return box;
    }

    treeBox.appendChild(node(0, [0]));
  }

  if (chooser) {
    var initial = chooser.getAttribute('data-initial');
    if (initial) chooser.value = initial;
    chooser.addEventListener('change', function () { renderTree(Number(chooser.value)); });
    if (chooser.value !== '') renderTree(Number(chooser.value));
  }

  requestAnimationFrame(function () {
    requestAnimationFrame(function () {
      window.__reportDrawnAt = performance.now();
      document.body.setAttribute('data-ready', '1');
    });
  });
})();
`;
