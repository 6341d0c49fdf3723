/**
 * The fleet page's own script, inlined into the page (its SHA-256 is the only script the page's
 * Content-Security-Policy allows). It reads the embedded model and builds the host table, the
 * filters, the per-host findings and the rule reference.
 *
 * Safety by construction: every text from a host reaches the page through textContent or an
 * attribute set with setAttribute, never through innerHTML; control, bidirectional and line-separator
 * characters in names and evidence are shown as visible escapes. Speed: rows are built in chunks as
 * the reader scrolls (an IntersectionObserver on a sentinel), and a host's findings only when it is
 * opened (or printed), so 10,000 hosts cost the DOM what the screen shows.
 *
 * Plain ES2020 in a string: the page runs it as it is, with no build step between this file and the
 * browser. The Chromium tests (test/scan/html-chromium.test.ts) are what check it.
 */
export const CLIENT_SCRIPT = String.raw`(function () {
'use strict';
var M = JSON.parse(document.getElementById('kdc-data').textContent);
var S = M.strings;
var CHUNK = 200;
var CAT_LABEL = {READY: 'READY', NOT_READY: 'NOT READY', UNVERIFIED: 'UNVERIFIED', unreachable: 'unreachable', error: 'error'};
var CAT_RANK = {NOT_READY: 0, error: 1, unreachable: 2, UNVERIFIED: 3, READY: 4};
var STATUS_LABEL = {fail: 'FAIL', warn: 'WARN', info: 'INFO', unknown: 'UNKNOWN', pass: 'PASS', 'n/a': 'N/A'};

// Control characters, line/paragraph separators, bidirectional overrides and zero-width characters
// would hide or reorder what a name says: they are shown as \u{...}.
var INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;
function visible(text, keepLines) {
  text = String(text);
  return text.replace(INVISIBLE, function (c) { return '\\u{' + c.charCodeAt(0).toString(16) + '}'; })
    .replace(keepLines ? /\t/g : /[\t\n]/g, function (c) { return c === '\t' ? (keepLines ? '    ' : '\\t') : '\\n'; });
}

function el(tag, attrs) {
  var node = document.createElement(tag);
  if (attrs) for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k) && attrs[k] !== undefined && attrs[k] !== null) node.setAttribute(k, String(attrs[k]));
  for (var i = 2; i < arguments.length; i++) add(node, arguments[i]);
  return node;
}
function add(node, child) {
  if (child === undefined || child === null || child === false) return;
  if (Array.isArray(child)) { for (var i = 0; i < child.length; i++) add(node, child[i]); return; }
  node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
}
function text(t) { return document.createTextNode(visible(t)); }
function ruleTitle(id) { var r = M.rules[id]; return r ? r.title : id; }
function ruleLink(id) {
  return el('a', {href: '#rule-' + encodeURIComponent(id), class: 'rule-link', title: ruleTitle(id)}, visible(id));
}

// Markdown, the little of it that rule texts and fixes use: paragraphs, "- " lists, fenced or
// indented code, and inline code spans. Built as DOM nodes, so nothing in the text is markup.
function inline(parent, line) {
  var parts = String(line).split('\u0060');
  for (var i = 0; i < parts.length; i++) {
    if (parts[i] === '') continue;
    if (i % 2 === 1 && i < parts.length - 1) parent.appendChild(el('code', null, visible(parts[i])));
    else parent.appendChild(document.createTextNode(visible(i % 2 === 1 ? '\u0060' + parts[i] : parts[i])));
  }
  return parent;
}
function markdown(source) {
  var box = el('div', {class: 'md'});
  var lines = String(source).split('\n');
  var list = null, para = null, item = null;
  function close() { list = null; para = null; item = null; }
  for (var i = 0; i < lines.length; i++) {
    var line = lines[i];
    if (/^\s*\u0060\u0060\u0060/.test(line)) {
      var code = [];
      for (i++; i < lines.length && !/^\s*\u0060\u0060\u0060/.test(lines[i]); i++) code.push(lines[i]);
      close();
      box.appendChild(el('pre', null, visible(code.join('\n'), true)));
      continue;
    }
    if (line.trim() === '') { close(); continue; }
    var bullet = /^\s*[-*] (.*)$/.exec(line);
    if (bullet) {
      if (!list) { list = el('ul'); box.appendChild(list); para = null; }
      item = inline(el('li'), bullet[1]);
      list.appendChild(item);
      continue;
    }
    if (/^ {4}/.test(line) && !item && !para) { box.appendChild(el('pre', null, visible(line.slice(4), true))); continue; }
    if (item) { item.appendChild(document.createTextNode(' ')); inline(item, line.trim()); continue; }
    if (!para) { para = el('p'); box.appendChild(para); } else para.appendChild(document.createTextNode(' '));
    inline(para, line);
  }
  return box;
}

// ---- filters, sorting and the host list ----
var state = {cat: '', check: '', group: '', q: '', sort: 'verdict', dir: 1};
var order = [];
var rendered = 0;
var list = document.getElementById('host-list');
var sentinel = document.getElementById('host-more');
var shown = document.getElementById('hosts-shown');

function firstGroup(h) {
  for (var i = 0; i < h.groups.length; i++) { var g = M.groups[h.groups[i]]; if (g !== 'all' && g !== 'ungrouped') return g; }
  return h.groups.length ? M.groups[h.groups[0]] : '';
}
function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
var SORTS = {
  host: function (a, b) { return cmp(a.name, b.name); },
  verdict: function (a, b) { return CAT_RANK[a.category] - CAT_RANK[b.category] || b.fail.length - a.fail.length || b.unknown.length - a.unknown.length; },
  first: function (a, b) { return cmp(a.first_broken || '~', b.first_broken || '~'); },
  fails: function (a, b) { return b.fail.length - a.fail.length || b.unknown.length - a.unknown.length; },
  group: function (a, b) { return cmp(firstGroup(a), firstGroup(b)); },
  distribution: function (a, b) { return cmp(a.distribution || '~', b.distribution || '~'); },
  xen: function (a, b) { return cmp(a.xen || '~', b.xen || '~'); }
};

function matches(h) {
  if (state.cat) {
    if (state.cat === 'UNVERIFIED*') { if (h.verdict !== 'UNVERIFIED') return false; }
    else if (h.category !== state.cat) return false;
  }
  if (state.check) {
    var kind = state.check.slice(0, state.check.indexOf(':')), id = state.check.slice(state.check.indexOf(':') + 1);
    if (h[kind].indexOf(id) === -1) return false;
  }
  if (state.group !== '' && h.groups.indexOf(Number(state.group)) === -1) return false;
  if (state.q && h.name.toLowerCase().indexOf(state.q) === -1) return false;
  return true;
}

function recompute() {
  var sort = SORTS[state.sort], dir = state.dir;
  order = [];
  for (var i = 0; i < M.hosts.length; i++) if (matches(M.hosts[i])) order.push(i);
  order.sort(function (a, b) { return dir * sort(M.hosts[a], M.hosts[b]) || cmp(M.hosts[a].name, M.hosts[b].name) || a - b; });
  while (list.lastChild && list.lastChild !== list.firstElementChild) list.removeChild(list.lastChild);
  rendered = 0;
  more();
  var heads = document.querySelectorAll('#host-head button[data-sort]');
  for (var j = 0; j < heads.length; j++) {
    var on = heads[j].getAttribute('data-sort') === state.sort;
    heads[j].setAttribute('aria-sort', on ? (state.dir > 0 ? 'ascending' : 'descending') : 'none');
  }
}

function more(all) {
  var end = all ? order.length : Math.min(order.length, rendered + CHUNK);
  var frag = document.createDocumentFragment();
  for (; rendered < end; rendered++) frag.appendChild(row(order[rendered]));
  list.appendChild(frag);
  shown.textContent = order.length === M.hosts.length
    ? 'All ' + M.hosts.length + ' hosts' + (rendered < order.length ? ' (' + rendered + ' listed so far; more as you scroll)' : '')
    : order.length + ' of ' + M.hosts.length + ' hosts match' + (rendered < order.length ? ' (' + rendered + ' listed so far; more as you scroll)' : '');
  shown.setAttribute('data-matching', String(order.length));
  sentinel.hidden = rendered >= order.length;
}

function idList(ids, max) {
  var span = el('span', {class: 'ids'});
  for (var i = 0; i < ids.length && i < max; i++) { if (i) span.appendChild(document.createTextNode(' ')); span.appendChild(ruleLink(ids[i])); }
  if (ids.length > max) span.appendChild(document.createTextNode(' +' + (ids.length - max)));
  return span;
}

function row(i) {
  var h = M.hosts[i];
  var first;
  if (h.first_broken) first = [ruleLink(h.first_broken), ' ', el('span', {class: 'muted'}, ruleTitle(h.first_broken))];
  else if (h.status === 'unreachable') first = el('span', {class: 'muted'}, visible(h.failure || 'unreachable') + ': ' + visible(h.reason || ''));
  else if (h.unknown.length) first = [el('span', {class: 'muted'}, 'cannot verify '), idList(h.unknown, 3)];
  else first = el('span', {class: 'muted'}, 'none');
  var groups = [];
  for (var g = 0; g < h.groups.length; g++) groups.push(M.groups[h.groups[g]]);
  var summary = el('summary', {class: 'row'},
    el('span', {class: 'c-host'}, text(h.name)),
    el('span', {class: 'c-verdict'}, el('span', {class: 'badge cat-' + h.category}, CAT_LABEL[h.category])),
    el('span', {class: 'c-first'}, first),
    el('span', {class: 'c-fails'}, h.fail.length ? idList(h.fail, 4) : (h.unknown.length ? el('span', {class: 'muted'}, h.unknown.length + ' unknown') : '')),
    el('span', {class: 'c-group'}, visible(groups.join(' '))),
    el('span', {class: 'c-dist'}, visible(h.distribution || '')),
    el('span', {class: 'c-xen'}, visible(h.xen || ''))
  );
  var details = el('details', {class: 'host cat-' + h.category, 'data-i': i, 'data-name': h.name, role: 'listitem'}, summary);
  details.addEventListener('toggle', function () { if (details.open) fill(details); });
  return details;
}

function fill(details) {
  if (details.getAttribute('data-filled')) return;
  details.setAttribute('data-filled', '1');
  details.appendChild(hostBody(M.hosts[Number(details.getAttribute('data-i'))]));
}

function dl(pairs) {
  var box = el('dl', {class: 'facts'});
  for (var i = 0; i < pairs.length; i++) if (pairs[i][1] !== undefined && pairs[i][1] !== '') box.appendChild(el('div', null, el('dt', null, pairs[i][0]), el('dd', null, pairs[i][1])));
  return box;
}

function hostBody(h) {
  var body = el('div', {class: 'body'});
  var exitNote = h.exit_code === 0 && h.verdict !== 'READY' ? ' (waived by configuration: the verdict stands)' : '';
  body.appendChild(dl([
    ['target', visible(h.target)],
    ['role', h.role && visible(h.role)],
    ['verdict', (h.verdict === 'NOT_READY' ? 'NOT READY' : h.verdict) + (h.status === 'unreachable' ? ' (no evidence: ' + visible(h.failure || '') + ')' : '')],
    ['exit code', String(h.exit_code) + exitNote],
    ['evidence collected', h.collected_at && visible(h.collected_at)],
    ['checks passed', h.pass.length ? h.pass.length + ' (' + h.pass.join(' ') + ')' : (h.status === 'judged' ? 'none' : '')],
    ['not applicable', h.na ? String(h.na) : '']
  ]));
  if (h.status === 'unreachable') {
    body.appendChild(el('p', {class: 'unreachable'}, 'No evidence was collected, so nothing proves a crash would leave a vmcore: ', el('span', {class: 'evidence-text'}, visible(h.reason || ''))));
  }
  for (var i = 0; i < h.findings.length; i++) body.appendChild(finding(h.findings[i]));
  if (h.findings_more) body.appendChild(el('p', {class: 'muted'}, h.findings_more + ' more findings are in the results file.'));
  if (h.expired_waivers.length) {
    var ul = el('ul');
    for (var w = 0; w < h.expired_waivers.length; w++) {
      var x = h.expired_waivers[w];
      ul.appendChild(el('li', null, ruleLink(x.id), ' ', visible(x.reason), x.expires ? ' (expired ' + visible(x.expires) + ')' : ''));
    }
    body.appendChild(el('div', {class: 'expired'}, el('h4', null, 'Expired waivers (no longer applied)'), ul));
  }
  var notes = [['Evidence the host could not give', h.snapshot_errors], ['Probes that timed out', h.timed_out_probes]];
  for (var n = 0; n < notes.length; n++) {
    if (!notes[n][1].length) continue;
    var items = el('ul');
    for (var k = 0; k < notes[n][1].length; k++) items.appendChild(el('li', {class: 'evidence-text'}, visible(S[notes[n][1][k]])));
    body.appendChild(el('div', {class: 'notes'}, el('h4', null, notes[n][0]), items));
  }
  return body;
}

function finding(f) {
  var box = el('div', {class: 'finding st-' + f.status.replace('/', '') + (f.waiver ? ' waived' : '')});
  var head = el('h4', null, el('span', {class: 'badge st-' + f.status.replace('/', '')}, STATUS_LABEL[f.status] || f.status), ' ', ruleLink(f.id), ' ', visible(f.title || ruleTitle(f.id)));
  if (f.default_severity) head.appendChild(el('span', {class: 'muted'}, ' (severity ' + f.severity + ' by configuration; the check says ' + f.default_severity + ')'));
  box.appendChild(head);
  if (f.waiver) {
    box.appendChild(el('p', {class: 'waiver'}, el('strong', null, 'Waived: '), visible(f.waiver.reason),
      f.waiver.expires ? ' (expires ' + visible(f.waiver.expires) + ')' : ' (no expiry)',
      f.waiver.source ? el('span', {class: 'muted'}, ' by ' + visible(f.waiver.source)) : ''));
  }
  if (f.policy) box.appendChild(el('p', {class: 'policy'}, el('strong', null, 'Site policy '), el('code', null, visible(f.policy.key)), ': ' + visible(f.policy.requirement)));
  box.appendChild(el('p', {class: 'message'}, visible(S[f.message], true)));
  if (f.evidence.length) {
    var ev = el('ul', {class: 'evidence'});
    for (var i = 0; i < f.evidence.length; i++) {
      var e = f.evidence[i];
      ev.appendChild(el('li', null, el('span', {class: 'source'}, visible(S[e[0]]) + (e[1] ? ':' + e[1] : '')), e[2] >= 0 ? ' ' : '', e[2] >= 0 ? el('code', {class: 'evidence-text'}, visible(S[e[2]])) : ''));
    }
    if (f.evidence_more) ev.appendChild(el('li', {class: 'muted'}, f.evidence_more + ' more evidence lines in the results file'));
    box.appendChild(ev);
  }
  if (f.fix !== undefined || f.fix_is_rule) {
    box.appendChild(el('div', {class: 'fix'}, el('h5', null, 'Fix for this host'), markdown(f.fix !== undefined ? S[f.fix] : (M.rules[f.id] ? M.rules[f.id].fix : ''))));
  }
  if (f.verify !== undefined) box.appendChild(el('div', {class: 'verify'}, el('h5', null, 'How to settle it by hand'), markdown(S[f.verify])));
  return box;
}

// ---- controls ----
function control(id, key) {
  var node = document.getElementById(id);
  node.addEventListener(node.tagName === 'INPUT' ? 'input' : 'change', function () {
    state[key] = key === 'q' ? node.value.trim().toLowerCase() : node.value;
    recompute();
  });
  return node;
}
var catSel = control('f-verdict', 'cat');
var checkSel = control('f-check', 'check');
var groupSel = control('f-group', 'group');
var search = control('f-search', 'q');
for (var c = 0; c < M.checks.length; c++) {
  var ch = M.checks[c];
  if (ch.fail) checkSel.appendChild(el('option', {value: 'fail:' + ch.id}, 'fails ' + ch.id + ': ' + visible(ch.title) + ' (' + ch.fail + ')'));
}
for (var c2 = 0; c2 < M.checks.length; c2++) {
  var cu = M.checks[c2];
  if (cu.unknown) checkSel.appendChild(el('option', {value: 'unknown:' + cu.id}, 'cannot verify ' + cu.id + ': ' + visible(cu.title) + ' (' + cu.unknown + ')'));
}
for (var c3 = 0; c3 < M.checks.length; c3++) {
  var cw = M.checks[c3];
  if (cw.waived) checkSel.appendChild(el('option', {value: 'waived:' + cw.id}, 'waived ' + cw.id + ': ' + visible(cw.title) + ' (' + cw.waived + ')'));
}
for (var gi = 0; gi < M.groups.length; gi++) groupSel.appendChild(el('option', {value: String(gi)}, visible(M.groups[gi])));
var heads = document.querySelectorAll('#host-head button[data-sort]');
for (var hi = 0; hi < heads.length; hi++) {
  heads[hi].addEventListener('click', function (event) {
    var key = event.currentTarget.getAttribute('data-sort');
    if (state.sort === key) state.dir = -state.dir; else { state.sort = key; state.dir = 1; }
    recompute();
  });
}
function setFilter(cat, check) {
  state.cat = cat; catSel.value = cat;
  state.check = check; checkSel.value = check;
  recompute();
  document.getElementById('hosts').scrollIntoView();
}
var filters = document.querySelectorAll('[data-filter-cat], [data-filter-check]');
for (var fi = 0; fi < filters.length; fi++) {
  filters[fi].addEventListener('click', function (event) {
    var b = event.currentTarget;
    setFilter(b.getAttribute('data-filter-cat') || '', b.getAttribute('data-filter-check') || '');
  });
}
document.getElementById('f-reset').addEventListener('click', function () {
  search.value = ''; state.q = ''; groupSel.value = ''; state.group = '';
  setFilter('', '');
});
document.getElementById('host-all').addEventListener('click', function () { more(true); });
if ('IntersectionObserver' in window) {
  new IntersectionObserver(function (entries) {
    if (entries[0].isIntersecting && rendered < order.length) more();
  }, {rootMargin: '800px'}).observe(sentinel);
}

// ---- rules ----
var rulesBox = document.getElementById('rule-list');
var ruleIds = Object.keys(M.rules).sort();
for (var ri = 0; ri < ruleIds.length; ri++) {
  var id = ruleIds[ri], r = M.rules[id];
  var refs = el('ul', {class: 'refs'});
  for (var j = 0; j < r.references.length; j++) {
    var ref = r.references[j];
    refs.appendChild(el('li', null, /^https?:\/\/[^\s]+$/.test(ref) ? el('a', {href: ref, rel: 'noreferrer noopener'}, visible(ref)) : visible(ref)));
  }
  rulesBox.appendChild(el('details', {class: 'rule', id: 'rule-' + id},
    el('summary', null, el('strong', null, visible(id)), ' ', visible(r.title), el('span', {class: 'muted'}, ' · ' + r.severity + ' · ' + r.stage)),
    r.why ? el('h4', null, 'Why it matters') : el('p', {class: 'muted'}, 'This kdumpcheck has no rule text for this ID (the results came from another version).'),
    r.why ? markdown(r.why) : '',
    r.fix ? el('h4', null, 'How to fix') : '', r.fix ? markdown(r.fix) : '',
    r.references.length ? el('h4', null, 'References') : '', r.references.length ? refs : ''));
}
function openHash() {
  var target = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  if (target && target.tagName === 'DETAILS') { target.open = true; target.scrollIntoView(); }
}
window.addEventListener('hashchange', openHash);

// ---- print: every matching host, expanded; the controls are hidden by the print stylesheet ----
window.addEventListener('beforeprint', function () {
  more(true);
  var all = list.querySelectorAll('details.host');
  for (var i = 0; i < all.length; i++) { fill(all[i]); all[i].open = true; }
  var rules = rulesBox.querySelectorAll('details.rule');
  for (var k = 0; k < rules.length; k++) rules[k].open = true;
});

document.documentElement.classList.add('js');
recompute();
openHash();
document.getElementById('host-loading').hidden = true;
window.kdumpcheckReady = true;
if (window.performance && performance.mark) performance.mark('kdc-hosts-listed');
})();
`
