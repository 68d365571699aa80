// SPDX-License-Identifier: GPL-3.0-or-later
// workbench.js - the web workbench of `legation serve` (served at / as
// app.js): pick a built-in scenario and deal options, move the levers in a
// form generated from GET /api/params (valid bounds, plausible range,
// source), or write a scenario in YAML checked as you type (POST
// /api/validate); run or compare as a job (POST /api/jobs) with live
// progress and cancel; the result drawn by the report's own renderer
// (report.js, uPlot) from GET /api/jobs/{id}/report?format=json; the
// recorded events of the pair (GET /api/history) on a timeline; downloads
// of the report, CSV and JSON; links that carry the whole form.  A sweep
// (the Sweep tab: one or two parameters over their plausible range, a
// grid, LHS or Sobol design) runs as a job too and is drawn by the same
// renderer (report.js's sweep charts) with a table of its rows; a run or
// comparison with parameter uncertainty says what its intervals cover and
// shows the spread across worlds; on the Jobs tab a job that a stopped
// server left interrupted is resumed (POST /api/jobs/{id}/resume, --db).
//
// Every rule about values is the server's: a value is checked by sending
// the job request to POST /api/check and showing the loader's message.
// With `serve --token`, the token is asked once, kept in sessionStorage and
// sent as a Bearer header.  The browser test (tests/browser/workbench.test.mjs)
// reads window.__workbench (charts drawn, the job shown).
import uPlot from 'uplot';
import { renderReport } from './report.js';

const TOKEN_KEY = 'legation-token';
const POLL_MS = 250;

// ---------------------------------------------------------------- helpers

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'value') e.value = v;
    else if (k === 'checked') e.checked = !!v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids.flat()) {
    if (k === null || k === undefined || k === false) continue;
    e.appendChild(typeof k === 'string' || typeof k === 'number' ? document.createTextNode(String(k)) : k);
  }
  return e;
}
const $ = (sel, root) => (root || document).querySelector(sel);
const finite = (x) => typeof x === 'number' && Number.isFinite(x);
function num(x) {
  if (!finite(x)) return 'n/a';
  const a = Math.abs(x);
  if (Number.isInteger(x)) return a >= 1e6 ? x.toExponential(2) : String(x);
  return a >= 1000 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : a >= 0.1 ? String(Number(x.toFixed(2))) : String(Number(x.toPrecision(2)));
}
function debounce(fn, ms) {
  let t = 0;
  return (...a) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...a), ms);
  };
}

// ---------------------------------------------------------------- the API

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

// fetch with the token; on 401 ask for it and try again once
async function api(path, opts = {}, retried = false) {
  const headers = Object.assign({}, opts.headers || {});
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = 'Bearer ' + token;
  const res = await fetch(path, Object.assign({}, opts, { headers }));
  if (res.status === 401 && !retried) {
    if (await askToken(token ? 'The token was refused. ' : '')) return api(path, opts, true);
  }
  if (opts.raw) {
    if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
    return res;
  }
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}
const postJson = (path, body) => api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

// A small dialog for the token; resolves true when one was given.
function askToken(prefix) {
  return new Promise((resolve) => {
    const input = el('input', { type: 'password', id: 'token-input', autocomplete: 'off', placeholder: 'token', size: 40 });
    const done = (ok) => {
      if (ok && input.value.trim()) sessionStorage.setItem(TOKEN_KEY, input.value.trim());
      box.remove();
      resolve(ok && !!input.value.trim());
    };
    const box = el('div', { class: 'modal', role: 'dialog', 'aria-label': 'Token' },
      el('form', { class: 'modal-box', onsubmit: (e) => { e.preventDefault(); done(true); } },
        el('h2', {}, 'This server needs its token'),
        el('p', {}, prefix + 'Enter the token it was started with (legation serve --token). ' +
          'It is kept for this browser tab only.'),
        input,
        el('div', { class: 'row' },
          el('button', { type: 'submit', class: 'primary' }, 'Use token'),
          el('button', { type: 'button', onclick: () => done(false) }, 'Cancel'))));
    document.body.appendChild(box);
    input.focus();
  });
}

// Download what a GET answers (with the token) as a file.
async function download(path, fallbackName) {
  const res = await api(path, { raw: true });
  const cd = res.headers.get('Content-Disposition') || '';
  const m = /filename="([^"]+)"/.exec(cd);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: m ? m[1] : fallbackName });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ---------------------------------------------------------------- state

const state = {
  scenarios: [],       // [{name, title}]
  defaultScenario: '',
  base: '',            // the built-in the form shows
  params: [],          // GET /api/params of base
  set: {},             // overrides: key -> text
  options: [],         // deal options chosen
  reps: 1000,
  seed: 1,
  uncertain: false,
  useYaml: false,
  yaml: '',
  job: null,           // the job shown: {id, kind, ...}
  sweep: {             // the Sweep tab
    keys: [],          // [{key, lo, hi, levels}], one or two
    design: 'grid',    // grid, lhs, sobol
    points: 20,        // of an lhs or sobol design
    reps: 100,         // replications per point
  },
  store: false,        // the server has --db (GET /api/runs)
  maxReps: 100000,     // the server's limit (GET /api)
  polling: 0,
  charts: [],
};
window.__workbench = { charts: [], job: null, check: null };

// ---------------------------------------------------------------- the link

// The form as URL fragment: s=BASE&o=OPT,OPT&reps=&seed=&u=1&y=YAML&p.KEY=VALUE,
// and the sweep: v=KEY:LO:HI:LEVELS (one or two), d=DESIGN, np=POINTS,
// sr=REPS_PER_POINT
function linkOf() {
  const q = new URLSearchParams();
  q.set('s', state.base);
  if (state.options.length) q.set('o', state.options.join(','));
  q.set('reps', String(state.reps));
  q.set('seed', String(state.seed));
  if (state.uncertain) q.set('u', '1');
  if (state.useYaml) q.set('y', state.yaml);
  for (const [k, v] of Object.entries(state.set)) q.set('p.' + k, v);
  const sw = state.sweep;
  for (const k of sw.keys) if (k.key) q.append('v', [k.key, k.lo, k.hi, k.levels].join(':'));
  if (sw.keys.length) {
    q.set('d', sw.design);
    if (sw.design !== 'grid') q.set('np', String(sw.points));
    q.set('sr', String(sw.reps));
  }
  return location.origin + location.pathname + '#' + q.toString();
}
function readLink() {
  const h = location.hash.replace(/^#/, '');
  if (!h) return null;
  const q = new URLSearchParams(h);
  const out = { set: {}, vary: [] };
  for (const [k, v] of q) {
    if (k === 's') out.base = v;
    else if (k === 'o') out.options = v.split(',').filter(Boolean);
    else if (k === 'reps') out.reps = Number(v);
    else if (k === 'seed') out.seed = Number(v);
    else if (k === 'u') out.uncertain = v === '1';
    else if (k === 'y') out.yaml = v;
    else if (k.startsWith('p.')) out.set[k.slice(2)] = v;
    else if (k === 'v') {
      const [key, lo, hi, levels] = v.split(':');
      if (key) out.vary.push({ key, lo: Number(lo), hi: Number(hi), levels: Number(levels) || 5 });
    } else if (k === 'd') out.design = v;
    else if (k === 'np') out.points = Number(v);
    else if (k === 'sr') out.sweepReps = Number(v);
  }
  return out;
}
function updateLink() {
  const url = linkOf();
  history.replaceState(null, '', url);
  const box = $('#share-url');
  if (box) box.value = url;
}

// ---------------------------------------------------------------- layout

function layout() {
  const app = $('#app');
  app.replaceChildren(
    el('div', { class: 'topbar' },
      el('div', { class: 'brand' }, 'Legation', el('span', {}, 'workbench')),
      el('div', { class: 'topinfo', id: 'server-info' }),
      el('button', { type: 'button', id: 'token-btn', class: 'ghost', onclick: () => askToken('') }, 'Token…')),
    el('div', { class: 'shell' },
      el('aside', { class: 'side' },
        el('section', {},
          el('h3', {}, '1. Scenario'),
          el('label', { for: 'scenario' }, 'Built-in scenario (the base)'),
          el('select', { id: 'scenario', onchange: (e) => chooseBase(e.target.value) }),
          el('p', { class: 'hint', id: 'scenario-title' }),
          el('label', { class: 'check' },
            el('input', { type: 'checkbox', id: 'use-yaml', onchange: (e) => { state.useYaml = e.target.checked; showTab(state.useYaml ? 'yaml' : 'params'); changed(); } }),
            ' use my own YAML (the YAML tab) instead')),
        el('section', {},
          el('h3', {}, '2. Deal options to compare'),
          el('div', { id: 'options', class: 'options' }),
          el('label', { class: 'check small' },
            el('input', { type: 'checkbox', id: 'all-options', onchange: () => renderOptions() }), ' show every scenario')),
        el('section', {},
          el('h3', {}, '3. Run'),
          el('div', { class: 'grid2' },
            el('label', { for: 'reps' }, 'Replications',
              el('input', { id: 'reps', type: 'number', min: 1, max: 100000, step: 1, value: state.reps, oninput: (e) => { state.reps = Number(e.target.value); changed(); } })),
            el('label', { for: 'seed' }, 'Seed',
              el('input', { id: 'seed', type: 'number', min: 0, step: 1, value: state.seed, oninput: (e) => { state.seed = Number(e.target.value); changed(); } }))),
          el('label', { class: 'check', title: 'Draw every parameter with a plausible range anew in each world: the intervals then include what is not known' },
            el('input', { type: 'checkbox', id: 'uncertain', onchange: (e) => { state.uncertain = e.target.checked; changed(); } }),
            ' include parameter uncertainty'),
          el('div', { id: 'check-msg', class: 'msgs', 'aria-live': 'polite' }),
          el('div', { class: 'row' },
            el('button', { type: 'button', id: 'run', class: 'primary', onclick: () => start(false) }, 'Run base'),
            el('button', { type: 'button', id: 'compare', class: 'primary', onclick: () => start(true) }, 'Compare options'))),
        el('section', {},
          el('h3', {}, 'Share'),
          el('p', { class: 'hint' }, 'This link opens the same form: scenario, options, overrides, replications and seed, and the sweep.'),
          el('div', { class: 'row' },
            el('input', { id: 'share-url', readonly: true, onfocus: (e) => e.target.select() }),
            el('button', { type: 'button', id: 'copy-link', onclick: copyLink }, 'Copy')))),
      el('div', { class: 'main' },
        el('div', { id: 'jobbar', class: 'jobbar', hidden: true },
          el('div', { class: 'jobline' },
            el('strong', { id: 'job-title' }),
            el('span', { id: 'status', class: 'status' }),
            el('span', { class: 'spacer' }),
            el('button', { type: 'button', id: 'cancel', class: 'danger', onclick: cancel }, 'Cancel')),
          el('div', { class: 'progress' }, el('div', { id: 'progress-bar' })),
          el('div', { class: 'row', id: 'downloads', hidden: true },
            el('span', { class: 'hint' }, 'Download:'),
            el('button', { type: 'button', id: 'dl-report', onclick: () => dl('report') }, 'Report (HTML)'),
            el('button', { type: 'button', id: 'dl-csv', onclick: () => dl('csv') }, 'CSV'),
            el('button', { type: 'button', id: 'dl-json', onclick: () => dl('json') }, 'JSON'))),
        el('nav', { class: 'tabs', role: 'tablist' },
          ...[['params', 'Parameters'], ['yaml', 'YAML'], ['sweep', 'Sweep'], ['results', 'Results'], ['timeline', 'Timeline'], ['jobs', 'Jobs']].map(([id, t]) =>
            el('button', { type: 'button', role: 'tab', id: 'tab-' + id, 'data-tab': id, onclick: () => showTab(id) }, t))),
        el('div', { class: 'pane', id: 'pane-params' },
          el('div', { class: 'row' },
            el('input', { type: 'search', id: 'param-filter', placeholder: 'Filter parameters (key, description, source)…', oninput: () => filterParams() }),
            el('label', { class: 'check small' }, el('input', { type: 'checkbox', id: 'changed-only', onchange: () => filterParams() }), ' changed only'),
            el('button', { type: 'button', id: 'reset-all', onclick: resetAll }, 'Reset all')),
          el('div', { id: 'params' })),
        el('div', { class: 'pane', id: 'pane-yaml', hidden: true },
          el('p', { class: 'hint' }, 'A scenario in YAML, checked by the server as you type. ',
            el('code', {}, 'base:'), ' may name a built-in; the form\'s overrides apply on top. Tick “use my own YAML” to run it.'),
          el('div', { class: 'editor' },
            el('textarea', { id: 'yaml', spellcheck: 'false', rows: 24, oninput: (e) => { state.yaml = e.target.value; validateYaml(); changed(); } }),
            el('div', { class: 'yaml-side' },
              el('h4', {}, 'Loader'),
              el('div', { id: 'yaml-status', class: 'hint' }),
              el('ul', { id: 'yaml-msgs', class: 'msgs' })))),
        el('div', { class: 'pane', id: 'pane-sweep', hidden: true },
          el('h2', {}, 'Sweep: the answer over a parameter\'s range'),
          el('p', { class: 'hint' }, 'Runs the base, and the deal options ticked on the left, at points over one or two parameters ' +
            '(each from its plausible range unless you change the bounds; the valid range is enforced), with the same random numbers at every point: ' +
            'every scorecard output and each option\'s change from the base, with its 95% interval, over the swept values. ' +
            'Pick a parameter here or with “sweep” in the Parameters tab. As ', el('code', {}, 'legation sweep --vary KEY=LO:HI:N'), '.'),
          el('table', { class: 'sweep-keys', id: 'sweep-keys' }),
          el('div', { class: 'row' },
            el('button', { type: 'button', id: 'sweep-add', onclick: () => addSweepKey('') }, '+ a second parameter')),
          el('div', { class: 'sweep-opts' },
            el('label', { for: 'sweep-design' }, 'Design',
              el('select', { id: 'sweep-design', onchange: (e) => { state.sweep.design = e.target.value; sweepChanged(); } },
                el('option', { value: 'grid' }, 'grid (levels of each)'), el('option', { value: 'lhs' }, 'Latin hypercube'), el('option', { value: 'sobol' }, 'Sobol sequence'))),
            el('label', { for: 'sweep-points' }, 'Points',
              el('input', { id: 'sweep-points', type: 'number', min: 1, max: 10000, step: 1, value: state.sweep.points, oninput: (e) => { state.sweep.points = Number(e.target.value); sweepChanged(); } })),
            el('label', { for: 'sweep-reps' }, 'Replications per point',
              el('input', { id: 'sweep-reps', type: 'number', min: 1, max: 100000, step: 1, value: state.sweep.reps, oninput: (e) => { state.sweep.reps = Number(e.target.value); sweepChanged(); } })),
            el('div', { class: 'sweep-go' },
              el('button', { type: 'button', id: 'run-sweep', class: 'primary', onclick: startSweep }, 'Run sweep'))),
          el('p', { class: 'hint', id: 'sweep-summary' }),
          el('ul', { id: 'sweep-msg', class: 'msgs', 'aria-live': 'polite' })),
        el('div', { class: 'pane', id: 'pane-results', hidden: true },
          el('div', { id: 'results' }, el('p', { class: 'hint' }, 'Run the base or compare options: the scorecard and charts appear here.'))),
        el('div', { class: 'pane', id: 'pane-timeline', hidden: true },
          el('div', { id: 'timeline' })),
        el('div', { class: 'pane', id: 'pane-jobs', hidden: true },
          el('div', { id: 'jobs' })))));
}

function showTab(id) {
  for (const b of document.querySelectorAll('.tabs button')) b.setAttribute('aria-selected', String(b.dataset.tab === id));
  for (const p of document.querySelectorAll('.pane')) p.hidden = p.id !== 'pane-' + id;
  if (id === 'timeline') loadTimeline();
  if (id === 'jobs') loadJobs();
  if (id === 'results') for (const c of state.charts) if (c.u) c.u.redraw();
}

function copyLink() {
  const box = $('#share-url');
  box.select();
  if (navigator.clipboard) navigator.clipboard.writeText(box.value).catch(() => {});
  $('#copy-link').textContent = 'Copied';
  setTimeout(() => { $('#copy-link').textContent = 'Copy'; }, 1500);
}

// ---------------------------------------------------------------- scenario

function renderScenarios() {
  const sel = $('#scenario');
  const bases = state.scenarios.filter((s) => !isOptionOf(s.name));
  const opts = state.scenarios.filter((s) => isOptionOf(s.name));
  sel.replaceChildren(
    el('optgroup', { label: 'Scenarios' }, bases.map((s) => el('option', { value: s.name }, `${s.name} — ${s.title}`))),
    el('optgroup', { label: 'Deal options' }, opts.map((s) => el('option', { value: s.name }, `${s.name} — ${s.title}`))));
  sel.value = state.base;
}
// a deal option is a built-in named BASE-something of another built-in
function isOptionOf(name, base) {
  if (base) return name.startsWith(base + '-');
  return state.scenarios.some((s) => s.name !== name && name.startsWith(s.name + '-'));
}

function renderOptions() {
  const all = $('#all-options').checked;
  const box = $('#options');
  const list = state.scenarios.filter((s) => s.name !== state.base && (all || isOptionOf(s.name, state.base)));
  for (const o of state.options) if (!list.some((s) => s.name === o)) {
    const s = state.scenarios.find((x) => x.name === o);
    if (s) list.push(s);
  }
  box.replaceChildren(...(list.length ? list.map((s) => el('label', { class: 'check option', title: s.title },
    el('input', { type: 'checkbox', value: s.name, checked: state.options.includes(s.name), onchange: (e) => {
      state.options = state.options.filter((n) => n !== s.name);
      if (e.target.checked) state.options.push(s.name);
      changed();
    } }),
    el('span', {}, el('code', {}, s.name.startsWith(state.base + '-') ? '…' + s.name.slice(state.base.length) : s.name),
      el('small', {}, s.title.replace(/^Deal option: /, ''))))) : [el('p', { class: 'hint' }, 'No deal options for this scenario; tick “show every scenario” to compare with another.')]));
  updateButtons();
}

async function chooseBase(name, keep) {
  state.base = name;
  if (!keep) {
    state.options = [];
    state.set = {};
  }
  const s = state.scenarios.find((x) => x.name === name);
  $('#scenario-title').textContent = s ? s.title : '';
  $('#scenario').value = name;
  renderOptions();
  const p = await api('/api/params?scenario=' + encodeURIComponent(name));
  state.params = p.params;
  renderParams();
  renderSweepForm();
  if (!state.yaml || /^base: [\w-]+\n# /.test(state.yaml)) {
    state.yaml = `base: ${name}\n# change any parameter, e.g.\n# states:\n#   a:\n#     ci_agents: 600\n`;
    $('#yaml').value = state.yaml;
    validateYaml();
  }
  timelineLoaded = '';
  if (!$('#pane-timeline').hidden) loadTimeline();
  changed();
}

// ---------------------------------------------------------------- the form

const GROUPS = [
  [/^states\.a\./, 'State A'], [/^states\.b\./, 'State B'], [/^intel\./, 'Intelligence'],
  [/^(relations|negotiation|escalation)\./, 'Relations and negotiation'], [/^deal\./, 'Deal'], [/./, 'General'],
];
function groupOf(key) {
  const first = key.split('.')[0];
  for (const [re, name] of GROUPS) if (re.test(key)) return name === 'General' && first !== key ? first[0].toUpperCase() + first.slice(1) : name;
  return 'General';
}
function stateName(k) {
  const p = state.params.find((x) => x.key === `states.${k}.name`);
  return p && p.text ? p.text : k.toUpperCase();
}

function plausibleText(p) {
  const r = p.plausible;
  if (!r) return '';
  if (r.alternatives) {
    const ch = (p.choices || '').split('|');
    return 'plausible: ' + r.alternatives.map((a) => `${ch[a.index] ?? a.index} (${Math.round(a.weight * 100)}%)`).join(', ');
  }
  return `plausible ${num(r.lo)} to ${num(r.hi)}${r.dist ? ' (' + r.dist + ')' : ''}`;
}

function inputFor(p) {
  const cur = p.key in state.set ? state.set[p.key] : p.text;
  const common = { id: 'p-' + p.key, 'data-key': p.key, 'aria-label': p.key, oninput: (e) => setParam(p, e.target.value), onchange: (e) => setParam(p, e.target.value) };
  if (p.type === 'enum' && p.choices) {
    return el('select', common, p.choices.split('|').map((c) => el('option', { value: c, selected: c === cur }, c)));
  }
  if (p.type === 'bool') {
    return el('select', common, ['true', 'false'].map((c) => el('option', { value: c, selected: c === cur }, c)));
  }
  if (p.type === 'string') return el('input', Object.assign({ type: 'text', value: cur }, common));
  return el('input', Object.assign({
    type: 'number', value: cur, min: finite(p.min) ? p.min : undefined, max: finite(p.max) ? p.max : undefined,
    step: p.type === 'int' ? 1 : 'any', inputmode: 'decimal',
  }, common));
}

function renderParams() {
  const box = $('#params');
  const groups = new Map();
  for (const p of state.params) {
    const g = groupOf(p.key).replace(/^State A$/, `State A: ${stateName('a')}`).replace(/^State B$/, `State B: ${stateName('b')}`);
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push(p);
  }
  box.replaceChildren(...[...groups].map(([g, ps], gi) => el('details', { class: 'pgroup', open: gi < 3 },
    el('summary', {}, g, el('small', {}, ` ${ps.length} parameters`)),
    el('table', { class: 'params' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Parameter'), el('th', {}, 'Value'), el('th', {}, 'Valid'), el('th', {}, 'Plausible range'), el('th', {}, 'Source'))),
      el('tbody', {}, ps.map((p) => el('tr', { 'data-key': p.key, class: p.key in state.set ? 'changed' : '', title: p.source ? 'Source: ' + p.source : '' },
        el('td', { class: 'pkey' }, el('code', {}, p.key), el('small', {}, p.description)),
        el('td', { class: 'pval' }, el('div', { class: 'row tight' }, inputFor(p), el('span', { class: 'unit' }, p.unit || ''),
          el('button', { type: 'button', class: 'reset', title: 'Back to the scenario\'s value ' + p.text, onclick: () => resetParam(p) }, '↺')),
        el('div', { class: 'param-msg', id: 'msg-' + p.key })),
        el('td', { class: 'num' }, p.type === 'real' || p.type === 'int' ? `${num(p.min)} to ${num(p.max)}` : p.type === 'enum' ? 'a choice' : p.type),
        el('td', { class: 'plaus' }, plausibleText(p), sweepable(p)
          ? el('button', { type: 'button', class: 'sweep-btn', 'data-sweep': p.key, title: 'Sweep this parameter over its range (the Sweep tab)', onclick: () => addSweepKey(p.key, true) }, 'sweep')
          : null),
        el('td', { class: 'src' }, el('span', { class: 'srcicon', title: p.source || 'no source' }, 'i'), el('span', { class: 'srctext' }, p.source || '')))))))));
  filterParams();
}

function filterParams() {
  const q = $('#param-filter').value.trim().toLowerCase();
  const only = $('#changed-only').checked;
  for (const tr of document.querySelectorAll('#params tbody tr')) {
    const p = state.params.find((x) => x.key === tr.dataset.key);
    const hit = !q || [p.key, p.description, p.source].some((s) => (s || '').toLowerCase().includes(q));
    tr.hidden = !hit || (only && !(p.key in state.set));
  }
  for (const d of document.querySelectorAll('#params details')) {
    d.hidden = ![...d.querySelectorAll('tbody tr')].some((tr) => !tr.hidden);
    if (q || only) d.open = true;
  }
}

function setParam(p, v) {
  if (String(v) === p.text) delete state.set[p.key];
  else state.set[p.key] = String(v);
  const tr = document.querySelector(`#params tr[data-key="${CSS.escape(p.key)}"]`);
  if (tr) tr.classList.toggle('changed', p.key in state.set);
  changed();
}
function resetParam(p) {
  delete state.set[p.key];
  const inp = document.getElementById('p-' + p.key);
  if (inp) inp.value = p.text;
  setParam(p, p.text);
}
function resetAll() {
  state.set = {};
  renderParams();
  changed();
}

// ---------------------------------------------------------------- checks

function spec(compare) {
  const s = { reps: state.reps, seed: state.seed };
  if (state.useYaml) s.yaml = state.yaml;
  else s.scenario = state.base;
  if (compare && state.options.length) s.options = state.options;
  if (Object.keys(state.set).length) s.set = Object.assign({}, state.set);
  if (state.uncertain) s.uncertain = true;
  return s;
}

let checkSeq = 0;
// The job request as the server sees it: the loader's messages next to the
// form, each on the field it names.
const check = debounce(async () => {
  const seq = ++checkSeq;
  const box = $('#check-msg');
  for (const m of document.querySelectorAll('.param-msg')) m.textContent = '';
  for (const r of document.querySelectorAll('#params tr.bad')) r.classList.remove('bad');
  let res;
  try {
    res = await postJson('/api/check', spec(true));
  } catch (e) {
    if (seq !== checkSeq) return;
    res = { ok: false, messages: [{ text: e.message }] };
  }
  if (seq !== checkSeq) return;
  window.__workbench.check = res;
  if (res.ok) {
    box.replaceChildren(el('li', { class: 'ok' }, '✓ the scenario and overrides are valid'));
  } else {
    box.replaceChildren(...res.messages.map((m) => el('li', { class: 'bad' }, m.text)));
    for (const m of res.messages) {
      // "set: KEY: expected ..., found ...": the field's own message
      const mm = /^set: ([^:]+): (.*)$/.exec(m.text);
      if (!mm) continue;
      const slot = document.getElementById('msg-' + mm[1]);
      if (slot) {
        slot.textContent = mm[2];
        slot.closest('tr').classList.add('bad');
        slot.closest('details').open = true;
      }
    }
  }
  updateButtons(res.ok);
}, 250);

let checkOk = true;
function updateButtons(ok) {
  if (ok !== undefined) checkOk = ok;
  $('#run').disabled = !checkOk;
  $('#compare').disabled = !checkOk || !state.options.length;
  $('#compare').title = state.options.length ? '' : 'Tick one or more deal options first';
}

function changed() {
  updateLink();
  updateButtons();
  check();
  if (state.sweep.keys.some((k) => k.key)) sweepChanged();
}

let yamlSeq = 0;
const validateYaml = debounce(async () => {
  const seq = ++yamlSeq;
  const status = $('#yaml-status');
  status.textContent = 'checking…';
  let res;
  try {
    res = await api('/api/validate', { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: state.yaml });
  } catch (e) {
    res = { ok: false, messages: [{ text: e.message }] };
  }
  if (seq !== yamlSeq) return;
  const list = $('#yaml-msgs');
  $('#yaml').classList.toggle('bad', !res.ok);
  if (res.ok) {
    status.textContent = `✓ valid: ${res.name}${res.title ? ' — ' + res.title : ''}`;
    list.replaceChildren();
  } else {
    status.textContent = `${res.messages.length} problem${res.messages.length === 1 ? '' : 's'}`;
    list.replaceChildren(...res.messages.map((m) => el('li', { class: 'bad' },
      m.line ? el('a', { href: '#', class: 'loc', onclick: (e) => { e.preventDefault(); gotoLine(m.line, m.col); } }, `${m.line}:${m.col || 1}`) : null,
      ' ', m.text.replace(/^upload\.yaml:\d+:\d+: /, ''))));
  }
}, 300);

function gotoLine(line, col) {
  const ta = $('#yaml');
  const lines = ta.value.split('\n');
  let pos = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) pos += lines[i].length + 1;
  pos += Math.max(0, (col || 1) - 1);
  ta.focus();
  ta.setSelectionRange(pos, pos);
}

// ---------------------------------------------------------------- the sweep

// a parameter a sweep can vary: a number with a valid range
function sweepable(p) {
  return (p.type === 'real' || p.type === 'int') && finite(p.min) && finite(p.max) && p.max > p.min;
}
// its default bounds: the plausible range, else the valid one
function sweepBounds(p) {
  const r = p.plausible;
  if (r && !r.alternatives && finite(r.lo) && finite(r.hi) && r.hi > r.lo) return [r.lo, r.hi];
  return [p.min, p.max];
}

// Add a parameter to the sweep (the first, or the second; a third
// replaces the second); from the Parameters tab, show the Sweep tab.
function addSweepKey(key, fromTable) {
  const keys = state.sweep.keys;
  const p = state.params.find((x) => x.key === key);
  const entry = p ? { key, lo: sweepBounds(p)[0], hi: sweepBounds(p)[1], levels: 5 } : { key: '', lo: NaN, hi: NaN, levels: 5 };
  if (keys.some((k) => k.key && k.key === key)) {
    // already swept
  } else if (!keys.length || (keys.length === 1 && !keys[0].key)) keys[0] = entry;
  else if (keys.length === 1) keys.push(entry);
  else keys[1] = entry;
  renderSweepForm();
  sweepChanged();
  if (fromTable) showTab('sweep');
}

function renderSweepForm() {
  const sw = state.sweep;
  if (!sw.keys.length) sw.keys.push({ key: '', lo: NaN, hi: NaN, levels: 5 });
  const choices = state.params.filter(sweepable);
  const grid = sw.design === 'grid';
  $('#sweep-keys').replaceChildren(
    el('thead', {}, el('tr', {}, ['', 'Parameter', 'From', 'To', grid ? 'Levels' : '', 'Valid range', 'Plausible range', ''].map((h) => el('th', {}, h)))),
    el('tbody', {}, sw.keys.map((k, i) => {
      const p = state.params.find((x) => x.key === k.key);
      const set = (f) => (e) => { k[f] = Number(e.target.value); sweepChanged(); };
      const bound = { min: p ? p.min : undefined, max: p ? p.max : undefined, step: p && p.type === 'int' ? 1 : 'any' };
      return el('tr', { 'data-i': i },
        el('th', {}, `${i + 1}.`),
        el('td', {}, el('select', { id: `sweep-key-${i}`, 'aria-label': `swept parameter ${i + 1}`, onchange: (e) => {
          const q = state.params.find((x) => x.key === e.target.value);
          if (q) [k.lo, k.hi] = sweepBounds(q);
          k.key = e.target.value;
          renderSweepForm();
          sweepChanged();
        } }, el('option', { value: '' }, '— choose a parameter —'),
        choices.map((q) => el('option', { value: q.key, selected: q.key === k.key }, `${q.key}${q.plausible ? '' : ' (no plausible range)'}`)))),
        el('td', {}, el('input', Object.assign({ id: `sweep-lo-${i}`, type: 'number', 'aria-label': 'from', value: finite(k.lo) ? k.lo : '', oninput: set('lo') }, bound))),
        el('td', {}, el('input', Object.assign({ id: `sweep-hi-${i}`, type: 'number', 'aria-label': 'to', value: finite(k.hi) ? k.hi : '', oninput: set('hi') }, bound))),
        el('td', {}, grid ? el('input', { id: `sweep-levels-${i}`, type: 'number', 'aria-label': 'levels', min: 1, max: 100, step: 1, value: k.levels, oninput: set('levels') }) : null),
        el('td', { class: 'hint' }, p ? `${num(p.min)} to ${num(p.max)}` : '', p && p.unit ? el('small', {}, p.unit) : null),
        el('td', { class: 'hint' }, p ? (plausibleText(p).replace(/^plausible:? /, '') || 'none: the valid range') : ''),
        el('td', {}, sw.keys.length > 1 || k.key ? el('button', { type: 'button', class: 'reset-visible', title: 'Do not sweep this parameter', onclick: () => {
          sw.keys.splice(i, 1);
          renderSweepForm();
          sweepChanged();
        } }, '✕') : null));
    })));
  $('#sweep-add').hidden = sw.keys.length >= 2 || !sw.keys[0].key;
  $('#sweep-design').value = sw.design;
  $('#sweep-points').closest('label').hidden = grid;
  $('#sweep-points').value = sw.points;
  $('#sweep-reps').value = sw.reps;
  for (const b of document.querySelectorAll('#params button.sweep-btn')) b.classList.toggle('on', sw.keys.some((k) => k.key === b.dataset.sweep));
}

function sweepPoints() {
  const sw = state.sweep;
  return sw.design === 'grid' ? sw.keys.reduce((n, k) => n * (k.levels || 0), 1) : sw.points;
}

// The sweep's job request: the run's (scenario, options ticked, overrides,
// seed) with vary, design and points; replications per point.  No
// uncertainty: a sweep sets what it varies.
function sweepSpec() {
  const s = spec(true);
  delete s.uncertain;
  const sw = state.sweep;
  s.reps = sw.reps;
  s.vary = sw.keys.filter((k) => k.key).map((k) => {
    const v = { key: k.key, lo: k.lo, hi: k.hi };
    if (sw.design === 'grid') v.levels = k.levels;
    return v;
  });
  s.design = sw.design;
  if (sw.design !== 'grid') s.points = sw.points;
  return s;
}

// What the page can say before asking the server: a parameter, bounds
// within the valid range, the limits.
function sweepProblems() {
  const sw = state.sweep, out = [];
  const keys = sw.keys.filter((k) => k.key);
  if (!keys.length) out.push('Choose a parameter to sweep.');
  for (const k of keys) {
    const p = state.params.find((x) => x.key === k.key);
    if (!finite(k.lo) || !finite(k.hi)) out.push(`${k.key}: give both bounds.`);
    else if (k.lo > k.hi) out.push(`${k.key}: the lower bound ${num(k.lo)} is above the upper ${num(k.hi)}.`);
    else if (p && (k.lo < p.min || k.hi > p.max)) out.push(`${k.key}: the bounds must lie within its valid range, ${num(p.min)} to ${num(p.max)}.`);
    if (sw.design === 'grid' && !(Number.isInteger(k.levels) && k.levels >= 1 && k.levels <= 100)) out.push(`${k.key}: levels: a whole number from 1 to 100.`);
  }
  if (keys.length === 2 && keys[0].key === keys[1].key) out.push('Sweep two different parameters.');
  if (sw.design !== 'grid' && !(Number.isInteger(sw.points) && sw.points >= 1)) out.push('Points: a whole number from 1.');
  if (!(Number.isInteger(sw.reps) && sw.reps >= 1)) out.push('Replications per point: a whole number from 1.');
  const n = sweepPoints();
  if (n * sw.reps > state.maxReps) out.push(`${n} points x ${sw.reps} replications = ${(n * sw.reps).toLocaleString()}: this server runs at most ${state.maxReps.toLocaleString()} replications per job.`);
  return out;
}

let sweepSeq = 0;
let sweepOk = false;
const checkSweep = debounce(async () => {
  const seq = ++sweepSeq;
  const box = $('#sweep-msg');
  const local = sweepProblems();
  if (local.length) {
    sweepOk = false;
    box.replaceChildren(...local.map((t) => el('li', { class: 'bad' }, t)));
    $('#run-sweep').disabled = true;
    window.__workbench.sweepCheck = { ok: false, messages: local };
    return;
  }
  let res;
  try {
    res = await postJson('/api/check', sweepSpec());
  } catch (e) {
    res = { ok: false, messages: [{ text: e.message }] };
  }
  if (seq !== sweepSeq) return;
  sweepOk = res.ok;
  window.__workbench.sweepCheck = res;
  box.replaceChildren(...(res.ok ? [el('li', { class: 'ok' }, '✓ the sweep is valid')] : res.messages.map((m) => el('li', { class: 'bad' }, m.text))));
  $('#run-sweep').disabled = !res.ok;
}, 250);

function sweepChanged() {
  const sw = state.sweep;
  const n = sweepPoints();
  const nopt = state.options.length;
  $('#sweep-summary').textContent = sw.keys.some((k) => k.key)
    ? `${n.toLocaleString()} point${n === 1 ? '' : 's'} x ${sw.reps.toLocaleString()} replications = ${(n * sw.reps).toLocaleString()} replications of the base` +
      (nopt ? ` and of each of ${nopt} deal option${nopt === 1 ? '' : 's'} (${state.options.map((o) => o.replace(state.base + '-', '…')).join(', ')})` : ' (tick deal options on the left to see their change from the base)') +
      `, seed ${state.seed}${Object.keys(state.set).length ? `, with the ${Object.keys(state.set).length} override(s) of the form` : ''}.` +
      (state.uncertain ? ' Parameter uncertainty is not drawn in a sweep: the other parameters keep their values.' : '')
    : '';
  $('#run-sweep').disabled = true;
  updateLink();
  checkSweep();
}

async function startSweep() {
  let job;
  try {
    job = await postJson('/api/jobs', sweepSpec());
  } catch (e) {
    const msgs = e.body && e.body.messages ? e.body.messages.map((m) => m.text) : [];
    $('#sweep-msg').replaceChildren(el('li', { class: 'bad' }, e.message), ...msgs.map((t) => el('li', { class: 'bad' }, t)));
    return;
  }
  showJob(job);
  showTab('results');
  $('#results').replaceChildren(el('p', { class: 'hint', id: 'results-wait' }));
  progress(job);
}

// ---------------------------------------------------------------- jobs

async function start(compare) {
  const body = spec(compare);
  let job;
  try {
    job = await postJson('/api/jobs', body);
  } catch (e) {
    const msgs = e.body && e.body.messages ? e.body.messages.map((m) => m.text) : [];
    $('#check-msg').replaceChildren(el('li', { class: 'bad' }, e.message), ...msgs.map((t) => el('li', { class: 'bad' }, t)));
    return;
  }
  showJob(job);
  showTab('results');
  $('#results').replaceChildren(el('p', { class: 'hint', id: 'results-wait' }));
  progress(job);
}

function showJob(job) {
  state.job = job;
  window.__workbench.job = { id: job.id, status: job.status };
  $('#jobbar').hidden = false;
  $('#job-title').textContent = `Job ${job.id}: ${{ compare: 'comparison', sweep: 'sweep', run: 'run' }[job.kind] || job.kind} of ${job.scenario}`;
  progress(job);
  clearTimeout(state.polling);
  poll(job.id);
}

function progress(job) {
  const pct = job.total ? Math.min(100, (100 * job.done) / job.total) : 0;
  $('#progress-bar').style.width = pct.toFixed(1) + '%';
  $('#progress-bar').className = job.status;
  const of = `${job.done.toLocaleString()} of ${job.total.toLocaleString()} replications${job.kind === 'sweep' ? ' (all points)' : ''}`;
  const st = job.status === 'running' || job.status === 'queued'
    ? `${job.status}: ${of}${job.cancel_requested ? ' (cancelling)' : ''}`
    : job.status === 'failed' ? `failed: ${job.error || ''}`
      : job.status === 'interrupted' ? `interrupted: ${of}; its server stopped. Resume it from the Jobs tab.` : `${job.status}: ${of}`;
  $('#status').textContent = st;
  $('#status').dataset.status = job.status;
  $('#cancel').hidden = !(job.status === 'running' || job.status === 'queued');
  $('#downloads').hidden = job.status !== 'done';
  // a sweep's result is its rows: no HTML report; its CSV is made here
  $('#dl-report').hidden = job.kind === 'sweep';
  const wait = $('#results-wait');
  if (wait) wait.textContent = `Job ${job.id} is ${job.status}: ${st.replace(/^\w+: /, '')}. The scorecard and charts appear here when it finishes.`;
  window.__workbench.job = { id: job.id, status: job.status, done: job.done, total: job.total };
  updateButtons();
}

async function poll(id) {
  let job;
  try {
    job = await api('/api/jobs/' + id);
  } catch (e) {
    $('#status').textContent = e.message;
    return;
  }
  if (!state.job || state.job.id !== id) return;
  state.job = job;
  progress(job);
  if (job.status === 'queued' || job.status === 'running') {
    state.polling = setTimeout(() => poll(id), POLL_MS);
    return;
  }
  if (job.status === 'done') await showResult(job);
  else $('#results').replaceChildren(el('p', { class: job.status === 'failed' ? 'warn' : 'hint' },
    job.status === 'cancelled' ? `Job ${id} was cancelled after ${job.done} replications: it has no result.` +
      (state.store ? ' With --db it can be resumed from its last checkpoint (the Jobs tab).' : '')
      : job.status === 'interrupted' ? `Job ${id} was interrupted when its server stopped, after ${job.done} replications. Resume it from the Jobs tab.`
        : `Job ${id} failed: ${job.error || ''}`));
}

async function cancel() {
  if (!state.job) return;
  try {
    const j = await api('/api/jobs/' + state.job.id, { method: 'DELETE' });
    progress(j);
  } catch (e) {
    $('#status').textContent = e.message;
  }
}

async function showResult(job) {
  const box = $('#results');
  if (job.kind === 'sweep') return showSweep(job);
  let data = null, why = '';
  try {
    data = await api(`/api/jobs/${job.id}/report?format=json`);
  } catch (e) {
    why = e.message;
  }
  showTab('results'); // the charts take the width of a visible pane
  const r = job.result;
  const summary = el('div', { class: 'summary' },
    el('strong', {}, `Job ${job.id}: `, r.title || r.scenario),
    el('small', {}, ` ${job.kind === 'compare' ? `${r.options.length} option${r.options.length === 1 ? '' : 's'} against the base, ` : ''}` +
      `${r.reps.toLocaleString()} replications, seed ${r.seed}, ${r.months} months, ${num(r.seconds)} s. ` +
      'Downloads above; the same report as legation ' + (job.kind === 'compare' ? 'compare' : 'run') + ' --report.'),
    coverNote(job, data));
  const root = el('div', { id: 'report', class: 'report' });
  box.replaceChildren(summary, root);
  if (!data) {
    root.appendChild(el('p', { class: 'warn' }, `The report of job ${job.id} cannot be drawn: ${why}`));
    state.charts = [];
    window.__workbench.charts = [];
    window.__workbench.shown = job.id;
    return;
  }
  const charts = renderReport(data, root);
  state.charts = charts;
  window.__workbench.charts = charts.map((c) => ({ id: c.id, kind: c.kind, points: c.points }));
  window.__workbench.shown = job.id;
}

// What the intervals of a run or comparison cover: the parameters drawn
// per world and the noise, or the noise alone.
function worldsOf(job, data) {
  if (data && data.uncertainty && data.uncertainty.outputs) {
    const w = Object.values(data.uncertainty.outputs)[0];
    return { worlds: w ? w.worlds : 0, perWorld: data.uncertainty.reps_per_world, drawn: (data.uncertainty.varied || []).length };
  }
  // a comparison: each option's change across worlds
  const u = data && (data.variants || []).map((v) => v.worlds).find((x) => x && x.outputs);
  if (!u) return null;
  const w = Object.values(u.outputs)[0];
  return { worlds: w ? w.worlds : 0, perWorld: u.reps_per_world, drawn: (u.varied || []).length };
}
function coverNote(job, data) {
  const w = worldsOf(job, data);
  if (!w) {
    return el('p', { class: 'cover', id: 'cover', 'data-uncertain': '0' }, 'The intervals cover Monte Carlo noise only, every parameter at its value. ' +
      'Tick “include parameter uncertainty” to draw the parameters with a plausible range anew in each world.');
  }
  const drawn = w.drawn ? `${w.drawn} parameters` : 'every parameter with a plausible range';
  return el('p', { class: 'cover uncertain', id: 'cover', 'data-uncertain': '1' },
    el('strong', {}, 'Parameter uncertainty included. '),
    `The intervals (the verdicts' and the scorecard's) cover the plausible ranges of ${drawn} (drawn anew in each of ${w.worlds} worlds, ${w.perWorld} replications per world) and Monte Carlo noise. ` +
    '“Across the worlds” below gives both and the spread of the per-world means: where the answer would lie if one of these worlds were the true one.');
}

// ---------------------------------------------------------------- a sweep's result

const OUT_KIND = { spiral: 'prob', settled: 'prob' };
// The API's sweep result as report.js's sweep data (the document `legation
// sweep --report` draws): params, mean, lo and hi as arrays.
function sweepData(job) {
  const r = job.result;
  const first = r.rows[0];
  const names = first ? Object.keys(first.outputs) : [];
  return {
    kind: 'sweep', name: r.scenario, title: r.title, states: r.states, design: r.design, points: r.points,
    reps_per_point: r.reps_per_point, keys: r.keys,
    // two charts a row in the results pane
    chart_width: Math.max(280, Math.min(620, Math.floor(($('#results').clientWidth - 18) / 2) - 26)),
    outputs: names.map((n) => ({ name: n, unit: '', description: n, kind: OUT_KIND[n] || 'real' })),
    rows: r.rows.map((w) => ({
      point: w.point, scenario: w.scenario, kind: w.kind, params: r.keys.map((k) => w.params[k]),
      mean: names.map((n) => w.outputs[n].mean), lo: names.map((n) => w.outputs[n].lo), hi: names.map((n) => w.outputs[n].hi),
    })),
  };
}

function showSweep(job) {
  const box = $('#results');
  showTab('results');
  const r = job.result;
  const data = sweepData(job);
  const scen = [...new Set(r.rows.map((w) => w.scenario))];
  const summary = el('div', { class: 'summary' },
    el('strong', {}, `Job ${job.id}: sweep of `, r.title || r.scenario),
    el('small', {}, ` over ${r.keys.join(' and ')}: ${r.points} points (${r.design}) x ${r.reps_per_point.toLocaleString()} replications, ` +
      `${scen.length > 1 ? `the base and ${scen.length - 1} option${scen.length > 2 ? 's' : ''}, ` : ''}seed ${r.seed}, ${r.months} months, ${num(r.seconds)} s. ` +
      'The same rows as legation sweep --json; downloads above.'),
    el('p', { class: 'cover', id: 'cover', 'data-uncertain': '0' }, 'Bands and intervals are 95% intervals over each point\'s replications (Monte Carlo noise), ' +
      'the swept parameters set at each point and every other parameter at its value.'));
  const root = el('div', { id: 'report', class: 'report sweep-report' });
  const table = sweepTable(r, data);
  box.replaceChildren(summary, root, table);
  // one parameter: report.js's line charts with their bands; two: heat maps
  const charts = r.keys.length === 1 ? renderReport(data, root) : sweepHeat(r, root);
  // two charts a row: each title with its chart
  for (const sec of root.querySelectorAll('.sweep-group')) {
    const cells = el('div', { class: 'sweep-cells' });
    for (const h of [...sec.querySelectorAll(':scope > h3')]) {
      const next = h.nextElementSibling;
      cells.appendChild(el('figure', { class: 'sweep-cell' }, h, next));
    }
    if (cells.childNodes.length) sec.insertBefore(cells, sec.querySelector(':scope > p.note'));
  }
  for (const c of charts) {
    const u = c.id && document.getElementById(c.id);
    if (u && u.parentNode) u.parentNode.dataset.points = String(c.points);
  }
  state.charts = charts;
  state.sweepRows = r;
  window.__workbench.charts = charts.map((c) => ({ id: c.id, kind: c.kind, points: c.points }));
  window.__workbench.shown = job.id;
}

// ---------------------------------------------------------------- two parameters

// A colour for t in [-1, 1] on the report's diverging scale (orange below
// 0: the balance favours B; blue above), or for t in [0, 1] from white to
// blue.
function heatColour(t, diverge) {
  const c = Math.max(diverge ? -1 : 0, Math.min(1, t));
  const a = c < 0 ? [217, 95, 2] : [31, 78, 121];
  const k = Math.abs(c);
  return `rgb(${Math.round(255 + (a[0] - 255) * k)},${Math.round(255 + (a[1] - 255) * k)},${Math.round(255 + (a[2] - 255) * k)})`;
}

// A heat map of one output over the two swept parameters for one group of
// rows (a scenario's values, or an option's change): a cell per point of
// a grid, a dot per point of an LHS or Sobol design; its value written in
// the cell; the colour scale on the right.  Returns the points drawn.
function heatMap(box, rows, keys, out, prob, diverge, W) {
  const H = Math.round(Math.min(360, Math.max(240, W * 0.72)));
  const dpr = window.devicePixelRatio || 1;
  const cv = el('canvas', { width: Math.round(W * dpr), height: Math.round(H * dpr) });
  cv.style.width = W + 'px';
  cv.style.height = H + 'px';
  box.appendChild(cv);
  const ctx = cv.getContext('2d');
  ctx.scale(dpr, dpr);
  const L = 64, R = 70, T = 8, B = 42, pw = W - L - R, ph = H - T - B;
  const xs = rows.map((r) => r.params[keys[0]]), ys = rows.map((r) => r.params[keys[1]]);
  const k = prob ? 100 : 1;
  const vs = rows.map((r) => (finite(r.outputs[out].mean) ? r.outputs[out].mean * k : null));
  const fv = vs.filter(finite);
  const lo = Math.min(...fv), hi = Math.max(...fv);
  const m = Math.max(1e-12, ...fv.map(Math.abs));
  const t = (v) => (diverge ? v / m : hi > lo ? (v - lo) / (hi - lo) : 0.5);
  const ux = [...new Set(xs)].sort((a, b) => a - b), uy = [...new Set(ys)].sort((a, b) => a - b);
  const grid = ux.length * uy.length === rows.length && ux.length > 1 && uy.length > 1;
  const ext = (a) => [Math.min(...a), Math.max(...a)];
  const [x0, x1] = ext(xs), [y0, y1] = ext(ys);
  const px = (x) => L + (x1 > x0 ? (x - x0) / (x1 - x0) : 0.5) * pw;
  const py = (y) => T + ph - (y1 > y0 ? (y - y0) / (y1 - y0) : 0.5) * ph;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  let n = 0;
  const cw = grid ? pw / ux.length : 0, ch = grid ? ph / uy.length : 0;
  rows.forEach((r, i) => {
    const v = vs[i];
    if (!finite(v)) return;
    ctx.fillStyle = heatColour(t(v), diverge);
    if (grid) {
      const cx = L + ux.indexOf(xs[i]) * cw, cy = T + ph - (uy.indexOf(ys[i]) + 1) * ch;
      ctx.fillRect(cx, cy, cw - 1, ch - 1);
      if (cw > 34 && ch > 16) {
        ctx.fillStyle = Math.abs(t(v)) > 0.55 ? '#fff' : '#222';
        ctx.fillText(prob ? v.toFixed(0) : num(v), cx + cw / 2, cy + ch / 2);
      }
    } else {
      ctx.beginPath();
      ctx.arc(px(xs[i]), py(ys[i]), 6, 0, 2 * Math.PI);
      ctx.fill();
      ctx.strokeStyle = '#0004';
      ctx.stroke();
    }
    n++;
  });
  // axes: the swept values (a grid's levels, or five ticks)
  ctx.fillStyle = '#333';
  const step = (u) => Math.max(1, Math.ceil(u.length / 8));
  if (grid) {
    ux.forEach((x, i) => { if (i % step(ux) === 0) ctx.fillText(num(x), L + (i + 0.5) * cw, T + ph + 12); });
    ctx.textAlign = 'right';
    uy.forEach((y, i) => { if (i % step(uy) === 0) ctx.fillText(num(y), L - 4, T + ph - (i + 0.5) * ch); });
  } else {
    for (let i = 0; i <= 4; i++) {
      ctx.fillText(num(x0 + ((x1 - x0) * i) / 4), px(x0 + ((x1 - x0) * i) / 4), T + ph + 12);
    }
    ctx.textAlign = 'right';
    for (let i = 0; i <= 4; i++) ctx.fillText(num(y0 + ((y1 - y0) * i) / 4), L - 4, py(y0 + ((y1 - y0) * i) / 4));
    ctx.strokeStyle = '#ccc';
    ctx.strokeRect(L, T, pw, ph);
  }
  ctx.textAlign = 'center';
  ctx.font = '600 11.5px system-ui, sans-serif';
  ctx.fillText(keys[0], L + pw / 2, H - 10);
  ctx.save();
  ctx.translate(12, T + ph / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(keys[1], 0, 0);
  ctx.restore();
  // the scale
  const sx = W - R + 12, sw = 12;
  for (let j = 0; j < ph; j++) {
    const f = 1 - j / ph;
    ctx.fillStyle = heatColour(diverge ? 2 * f - 1 : f, diverge);
    ctx.fillRect(sx, T + j, sw, 1);
  }
  ctx.strokeStyle = '#bbb';
  ctx.strokeRect(sx, T, sw, ph);
  ctx.font = '10.5px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.fillStyle = '#333';
  ctx.fillText(num(diverge ? m : hi), sx + sw + 3, T + 5);
  ctx.fillText(num(diverge ? -m : lo), sx + sw + 3, T + ph - 5);
  if (diverge) ctx.fillText('0', sx + sw + 3, T + ph / 2);
  return n;
}

// Two parameters: an output chosen from the scorecard, drawn as a heat map
// for the base, each option and each option's change, side by side.
function sweepHeat(r, box) {
  const names = r.rows.length ? Object.keys(r.rows[0].outputs) : [];
  const groups = [];
  for (const w of r.rows) {
    let g = groups.find((x) => x.scenario === w.scenario && x.kind === w.kind);
    if (!g) groups.push((g = { scenario: w.scenario, kind: w.kind, rows: [] }));
    g.rows.push(w);
  }
  const [nameA, nameB] = r.states;
  const label = {
    value_a: `intelligence gained by ${nameA}`, value_b: `intelligence gained by ${nameB}`,
    balance: `balance (${nameA} minus ${nameB})`, spiral: 'expulsion spiral (probability, %)', settled: 'negotiation settles (probability, %)',
  };
  const pick = el('select', { id: 'heat-output', 'aria-label': 'output' }, names.map((n) => el('option', { value: n, selected: n === 'balance' }, label[n] || n)));
  const maps = el('div', { class: 'heat-grid' });
  const draw = () => {
    const out = pick.value, prob = OUT_KIND[out] === 'prob';
    const cols = Math.min(3, groups.length);
    const W = Math.max(260, Math.floor((box.clientWidth - 18 * (cols - 1)) / cols) - 2);
    maps.style.gridTemplateColumns = `repeat(${cols}, minmax(0, 1fr))`;
    maps.replaceChildren();
    const drawn = [];
    groups.forEach((g, gi) => {
      const id = `heat-${gi}`;
      const cell = el('figure', { class: 'sweep-cell' },
        el('h3', {}, g.kind === 'change' ? `${g.scenario.replace(r.scenario + '-', '')}: change from the base` : g.scenario === r.scenario ? `${g.scenario} (the base)` : g.scenario));
      const chart = el('div', { class: 'chart heat-box', id });
      cell.appendChild(chart);
      maps.appendChild(cell);
      // a change, or the balance: 0 is white; otherwise light to dark
      const diverge = g.kind === 'change' || out === 'balance';
      drawn.push({ id, kind: 'sweep-heat', points: heatMap(chart, g.rows, r.keys, out, prob, diverge, W) });
    });
    return drawn;
  };
  box.appendChild(el('div', { class: 'row' }, el('label', { for: 'heat-output' }, 'Colour by '), pick,
    el('span', { class: 'hint' }, `Each cell is a point of the ${r.design} design, its mean written in it; for a change and the balance, orange below 0 (towards ${nameB}), blue above (towards ${nameA}). Intervals are in the table below.`)));
  box.appendChild(maps);
  pick.addEventListener('change', () => {
    const d = draw();
    window.__workbench.charts = d;
  });
  return draw();
}

function sweepTable(r, data) {
  const outs = data.outputs;
  const head = el('tr', {}, el('th', {}, 'point'), r.keys.map((k) => el('th', { class: 'num' }, k)), el('th', {}, 'scenario'), el('th', {}, ''),
    outs.map((o) => el('th', { class: 'num' }, o.name + (o.kind === 'prob' ? ' (%)' : ''))));
  const rows = [...r.rows].sort((a, b) => a.point - b.point);
  const f = (x, prob) => (finite(x) ? (prob ? (x * 100).toFixed(1) : num(x)) : '');
  const body = rows.map((w) => el('tr', { class: w.kind === 'change' ? 'change' : '' },
    el('td', { class: 'num' }, String(w.point)), r.keys.map((k) => el('td', { class: 'num' }, num(w.params[k]))),
    el('td', {}, el('code', {}, w.scenario.replace(r.scenario + '-', '…'))), el('td', {}, w.kind === 'change' ? 'change' : ''),
    outs.map((o) => {
      const s = w.outputs[o.name], prob = o.kind === 'prob';
      const excl = w.kind === 'change' && finite(s.lo) && (s.lo > 0 || s.hi < 0);
      return el('td', { class: 'num' + (excl ? ' excl' : '') }, `${f(s.mean, prob)}`, el('small', {}, ` ${f(s.lo, prob)} to ${f(s.hi, prob)}`));
    })));
  return el('section', { id: 'sweep-rows' }, el('h2', {}, 'Every point'),
    el('p', { class: 'note' }, 'Mean and 95% interval of each output at each point; “change” rows are an option minus the base at the same point (bold: the interval excludes 0).'),
    el('div', { class: 'scroll sweep-table' }, el('table', { class: 'rows' }, el('thead', {}, head), el('tbody', {}, body))));
}

// A sweep's rows as CSV, one line per point and scenario
function sweepCsv(r) {
  const names = r.rows.length ? Object.keys(r.rows[0].outputs) : [];
  const q = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [['point', ...r.keys, 'scenario', 'kind', ...names.flatMap((n) => [n, n + '_lo', n + '_hi'])].map(q).join(',')];
  for (const w of [...r.rows].sort((a, b) => a.point - b.point)) {
    lines.push([String(w.point), ...r.keys.map((k) => String(w.params[k])), q(w.scenario), w.kind,
      ...names.flatMap((n) => ['mean', 'lo', 'hi'].map((f) => (finite(w.outputs[n][f]) ? String(w.outputs[n][f]) : '')))].join(','));
  }
  return lines.join('\n') + '\n';
}

function dl(what) {
  const id = state.job.id;
  if (what === 'json') return download(`/api/jobs/${id}`, `legation-job-${id}.json`);
  if (what === 'csv' && state.job.kind === 'sweep' && state.job.result) {
    const url = URL.createObjectURL(new Blob([sweepCsv(state.job.result)], { type: 'text/csv' }));
    const a = el('a', { href: url, download: `legation-job-${id}-sweep.csv` });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    return;
  }
  return download(`/api/jobs/${id}/${what}`, `legation-job-${id}.${what === 'csv' ? 'csv' : 'html'}`);
}

async function resumeJob(id) {
  let job;
  try {
    job = await postJson(`/api/jobs/${id}/resume`, {});
  } catch (e) {
    $('#jobs-msg').replaceChildren(el('li', { class: 'bad' }, e.message));
    return;
  }
  showJob(job);
  showTab('results');
  $('#results').replaceChildren(el('p', { class: 'hint', id: 'results-wait' }));
  progress(job);
}

// Stored kinds whose report is a study's (replayed by legation report ID).
const STUDY_KINDS = ['sensitivity', 'morris', 'discover'];

// A stored run's report or table (GET /api/runs/{id}/...); a refusal (a
// study's report is made by `legation report ID`) is shown above the lists.
async function storedDownload(id, what, name) {
  try {
    await download(`/api/runs/${id}/${what}`, name);
  } catch (e) {
    $('#jobs-msg').replaceChildren(el('li', { class: 'bad' }, e.message));
  }
}

async function loadJobs() {
  const box = $('#jobs');
  const [{ jobs }, runs] = await Promise.all([api('/api/jobs'), api('/api/runs')]);
  state.store = runs.store;
  const interrupted = jobs.filter((j) => j.status === 'interrupted').length;
  // with --db an interrupted (or cancelled) job goes on from its last checkpoint
  const resumable = (j) => runs.store && (j.status === 'interrupted' || j.status === 'cancelled');
  box.replaceChildren(el('h2', {}, 'Jobs of this server'),
    el('p', { class: 'hint' }, runs.store
      ? `Jobs are kept in the results store (--db): a job that a stopped or killed server left behind is listed as interrupted${interrupted ? ` (${interrupted} now)` : ''} and can be resumed from its last checkpoint, with the same result as if it had not stopped.`
      : 'Jobs live in this server\'s memory; start it with --db FILE to keep them across restarts and resume interrupted ones.'),
    el('ul', { id: 'jobs-msg', class: 'msgs' }),
    jobs.length ? el('table', { class: 'jobs', id: 'job-list' },
      el('thead', {}, el('tr', {}, ['Job', 'Kind', 'Scenario', 'Status', 'Replications', ''].map((h) => el('th', {}, h)))),
      el('tbody', {}, jobs.map((j) => el('tr', { 'data-job': j.id },
        el('td', {}, String(j.id)), el('td', {}, j.kind), el('td', {}, el('code', {}, j.scenario)),
        el('td', { class: 'st-' + j.status }, j.status), el('td', { class: 'num' }, `${j.done.toLocaleString()} / ${j.total.toLocaleString()}`),
        el('td', {}, el('div', { class: 'row tight' },
          el('button', { type: 'button', onclick: () => { showJob(j); showTab('results'); } }, 'Show'),
          resumable(j) ? el('button', { type: 'button', class: 'primary resume', 'data-resume': j.id,
            title: 'Go on from the last checkpoint (POST /api/jobs/' + j.id + '/resume)', onclick: () => resumeJob(j.id) }, 'Resume') : null)))))) :
      el('p', { class: 'hint' }, 'No jobs yet.'),
  el('h2', {}, 'Stored runs'),
  !runs.store ? el('p', { class: 'hint' }, 'Start the server with --db FILE to list the runs of a results store here (legation runs, legation report ID).') :
    runs.runs.length ? el('table', { class: 'jobs', id: 'stored-runs' },
      el('thead', {}, el('tr', {}, ['Run', 'Kind', 'Created', 'Scenario', 'Label', 'Status', 'Replications', 'Seed', ''].map((h) => el('th', {}, h)))),
      el('tbody', {}, runs.runs.map((r) => el('tr', { title: r.title },
        el('td', {}, String(r.id)), el('td', {}, r.kind || ''), el('td', {}, r.created), el('td', {}, el('code', {}, r.scenario), r.variants > 1 ? ` + ${r.variants - 1} option${r.variants > 2 ? 's' : ''}` : ''),
        el('td', {}, r.label || ''), el('td', { class: 'st-' + r.status }, r.status), el('td', { class: 'num' }, `${r.reps_done} / ${r.reps_requested}`),
        el('td', { class: 'num' }, String(r.seed)),
        el('td', {}, el('div', { class: 'row tight' }, STUDY_KINDS.includes(r.kind)
          // a study: its design points (its report is made by legation report ID)
          ? el('button', { type: 'button', 'data-run-csv': r.id, title: `Its design points as CSV, as legation export ${r.id} --what points prints them (GET /api/runs/${r.id}/export?what=points); its report: legation report ${r.id} -o FILE`,
            onclick: () => storedDownload(r.id, 'export?what=points', `legation-run-${r.id}-points.csv`) }, 'Points CSV')
          : [el('button', { type: 'button', 'data-run-report': r.id, title: `The HTML report of run ${r.id}, as legation report ${r.id} -o FILE writes it (GET /api/runs/${r.id}/report)`,
            onclick: () => storedDownload(r.id, 'report', `legation-run-${r.id}.html`) }, 'Report'),
          el('button', { type: 'button', 'data-run-csv': r.id, title: `Its summary as CSV, as legation export ${r.id} prints it (GET /api/runs/${r.id}/export?what=summary)`,
            onclick: () => storedDownload(r.id, 'export?what=summary', `legation-run-${r.id}.csv`) }, 'CSV')])))))) :
      el('p', { class: 'hint' }, 'The results store holds no run yet.'));
}

// ---------------------------------------------------------------- timeline

let timelineLoaded = '';
async function loadTimeline() {
  const a = stateName('a'), b = stateName('b');
  const key = `${a}-${b}`;
  if (timelineLoaded === key) return;
  timelineLoaded = key;
  const box = $('#timeline');
  box.replaceChildren(el('p', { class: 'hint' }, 'Loading the record…'));
  let h;
  try {
    h = await api('/api/history?pair=' + encodeURIComponent(key));
  } catch (e) {
    box.replaceChildren(el('p', { class: 'hint' }, `No recorded events for ${a} and ${b}: ${e.message}`));
    return;
  }
  const ev = h.events;
  const chartBox = el('div', { class: 'chart timeline-chart', id: 'timeline-chart' });
  const filter = el('select', { id: 'timeline-action' }, el('option', { value: '' }, 'every action'),
    h.actions.map((x) => el('option', { value: x }, x.replace(/_/g, ' '))));
  const tbody = el('tbody');
  const fill = () => {
    const act = filter.value;
    tbody.replaceChildren(...ev.filter((e) => !act || e.action === act).map((e) => el('tr', {},
      el('td', { class: 'num' }, e.date), el('td', {}, `${e.acting_state} → ${e.target_state}`),
      el('td', {}, el('span', { class: 'dot', 'data-action': e.action }), e.action.replace(/_/g, ' ')),
      el('td', { class: 'num' }, e.persons === null ? '' : String(e.persons)),
      el('td', {}, e.stated_reason, e.notes ? el('small', {}, e.notes) : null),
      el('td', { class: 'src' }, e.source_url.split(' ; ').filter(Boolean).map((u, i) =>
        el('a', { href: u, target: '_blank', rel: 'noopener noreferrer', title: u }, `[${i + 1}]`)),
      el('small', {}, ` ${e.confidence}`)))));
  };
  filter.addEventListener('change', fill);
  box.replaceChildren(
    el('h2', {}, `Recorded events: ${a} and ${b}`),
    el('p', { class: 'hint' }, `${ev.length} events from the record compiled into legation (data/events.csv), each with its sources. ` +
      'Each point is one event: persons expelled (or the new cap) on the vertical axis; events without a count sit on the axis.'),
    chartBox,
    el('div', { class: 'row' }, el('label', { for: 'timeline-action' }, 'Show '), filter),
    el('div', { class: 'scroll' }, el('table', { class: 'events' },
      el('thead', {}, el('tr', {}, ['Date', 'Who', 'Action', 'Persons', 'Stated reason', 'Sources'].map((x) => el('th', {}, x)))), tbody)));
  fill();
  drawTimeline(chartBox, ev, a, b);
}

function drawTimeline(box, ev, a, b) {
  if (!ev.length) return;
  const t = (e) => Date.UTC(e.date.slice(0, 4), Number(e.date.slice(5, 7) || 1) - 1, Number(e.date.slice(8, 10) || 15)) / 1000;
  const xs = [...new Set(ev.map(t))].sort((p, q) => p - q);
  const actsA = ev.filter((e) => e.side === 'a');
  const ys = (list) => xs.map((x) => {
    const hit = list.filter((e) => t(e) === x);
    return hit.length ? hit.reduce((s, e) => s + Math.max(0, e.persons || 0), 0) : null;
  });
  const actsB = ev.filter((e) => e.side === 'b');
  const both = ev.filter((e) => e.side === 'both');
  const width = Math.max(400, box.clientWidth || 900);
  const u = new uPlot({
    width, height: 260,
    scales: { x: { time: true }, y: { range: (self, lo, hi) => [0, Math.max(10, hi * 1.1)] } },
    axes: [{}, { label: 'persons', size: 56 }],
    series: [{}, ...[[`by ${a}`, '#1f4e79'], [`by ${b}`, '#d95f02'], ['both (talks, agreements)', '#666666']].map(([label, stroke]) => ({
      label, stroke, fill: stroke + '55', width: 0, paths: () => null, points: { show: true, size: 9, stroke, fill: stroke + 'aa' },
    }))],
    legend: { show: true },
  }, [xs, ys(actsA), ys(actsB), ys(both)], box);
  state.timelineChart = u;
  window.__workbench.timeline = { events: ev.length, points: xs.length };
}

// ---------------------------------------------------------------- start

async function boot() {
  layout();
  showTab('params');
  let info;
  try {
    info = await api('/api');
  } catch (e) {
    $('#server-info').textContent = 'cannot reach the server: ' + e.message;
    return;
  }
  $('#server-info').textContent = `legation ${info.version} · at most ${info.limits.reps.toLocaleString()} replications per job`;
  $('#reps').max = info.limits.reps;
  state.maxReps = info.limits.reps;
  $('#sweep-reps').max = info.limits.reps;
  api('/api/runs').then((r) => { state.store = r.store; }).catch(() => {});
  const sc = await api('/api/scenarios');
  state.scenarios = sc.scenarios;
  state.defaultScenario = sc.default;
  const link = readLink();
  const base = link && link.base && sc.scenarios.some((s) => s.name === link.base) ? link.base : sc.default;
  state.base = base;
  renderScenarios();
  if (link) {
    state.options = (link.options || []).filter((o) => sc.scenarios.some((s) => s.name === o));
    state.set = link.set;
    if (finite(link.reps)) state.reps = link.reps;
    if (finite(link.seed)) state.seed = link.seed;
    state.uncertain = !!link.uncertain;
    if (link.yaml !== undefined) {
      state.useYaml = true;
      state.yaml = link.yaml;
    }
    if (link.vary.length) {
      state.sweep.keys = link.vary.slice(0, 2);
      if (['grid', 'lhs', 'sobol'].includes(link.design)) state.sweep.design = link.design;
      if (finite(link.points)) state.sweep.points = link.points;
      if (finite(link.sweepReps)) state.sweep.reps = link.sweepReps;
    }
    $('#reps').value = state.reps;
    $('#seed').value = state.seed;
    $('#uncertain').checked = state.uncertain;
    $('#use-yaml').checked = state.useYaml;
    $('#yaml').value = state.yaml;
  }
  await chooseBase(base, !!link);
  renderSweepForm();
  if (state.useYaml) {
    validateYaml();
    showTab('yaml');
  } else if (link && link.vary.length) {
    sweepChanged();
    showTab('sweep');
  }
  document.body.dataset.ready = '1';
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
