// SPDX-License-Identifier: GPL-3.0-or-later
// report.js - draws a Legation report from its data (the JSON the legation
// binary builds in src/analysis/report_data.c): header, verdicts, scorecard,
// fan charts of the monthly series, histograms, the spiral probability,
// paired differences of every output, and the parameters with their
// sources.  Charts are drawn with uPlot (canvas); nothing is fetched.  A
// module: renderReport(data, root) is called by the report page
// (report-page.js, the data block of an HTML report that cli/report.c
// writes) and by the web workbench of `legation serve` (workbench.js).
//
// The data block (format 1):
//   kind: "run" | "compare" | "runs"; legation_version; states: [A, B]
//     (["A", "B"] for stored runs of different pairs: each variant has its
//     own states); options_order: "given" | "effect" (compare: the options
//     were not named, so the page sorts them by their effect on the balance);
//   reps, reps_requested, complete, seed, threads, seconds, months;
//   outputs: [{name, unit, description, kind: "real"|"prob", side}];
//   series: [{name, unit, description, side}];
//   scorecard: [{output, label}];
//   verdict (run) | narrowing: {median, count} (compare);
//   variants: [{role: "base"|"option", name, operand, title, states: [A, B],
//     params: [{key, value, unit, description, source, plausible?,
//       base_value?}] (plausible: the range and distribution, as `params`)
//       (the base: all; an option: those that differ from the base),
//     deal: [{month, action, target, value, post, r_min, p_min, source}],
//     stats: {output: {n, mean, sd, lo, hi, min, max, q05..q95}},
//     series: {name: {mean, q05, q25, q50, q75, q95: [per month]}},
//     diffs?: {output: {n, mean, sd, lo, hi, indep_lo, indep_hi, narrowing}},
//     worlds?: {varied, reps_per_world, outputs: {output: {worlds, mean, lo, hi, ...}}}
//              (a comparison with drawn parameters: the change across worlds),
//     verdict?}];
//   hist: [{output, unit, description, from: "replications"|"quantiles",
//     edges: [nbins + 1], counts: [[nbins] per variant]}].
// A sensitivity study (kind "sensitivity") or scenario discovery (kind
//   "discover"): the documents of `legation sensitivity --json` and
//   `legation discover --json` (docs/SENSITIVITY.md).
// A sweep (kind "sweep", cmd_sweep.c): name, title, states, design, points,
//   reps_per_point, keys: [swept parameter], outputs: [{name, unit,
//   description, kind}], rows: [{point, scenario, kind: "value"|"change",
//   params: [per key], mean, lo, hi: [per output]}]; chart_width (optional,
//   the workbench's: the line charts' width in px, default 560).
import uPlot from 'uplot';

const PALETTE = ['#1f4e79', '#d95f02', '#7570b3', '#1b9e77', '#e7298a', '#66a61e',
  '#e6ab02', '#a6761d', '#666666', '#17becf'];

const charts = [];
const axisLabels = []; // every category label drawn on an axis (browser test)
// category axis labels: px per character at 12 px, and the slant of 35 degrees
const CH = 6.5, SIN = Math.sin(35 * Math.PI / 180), COS = Math.cos(35 * Math.PI / 180);

// ---------------------------------------------------------------- helpers

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    // through the CSSOM: the workbench's CSP forbids style attributes
    else if (k === 'style') e.style.cssText = v;
    else e.setAttribute(k, v);
  }
  for (const k of kids.flat()) {
    if (k === null || k === undefined) continue;
    e.appendChild(typeof k === 'string' || typeof k === 'number' ? document.createTextNode(String(k)) : k);
  }
  return e;
}

const finite = (x) => typeof x === 'number' && Number.isFinite(x);

// Decimals that show x to the precision its interval supports.
function decimals(mean, lo, hi) {
  const h = (hi - lo) / 2;
  let d;
  if (finite(h) && h > 0) d = -Math.floor(Math.log10(h));
  else d = Math.abs(mean) >= 100 ? 0 : Math.abs(mean) >= 1 ? 2 : 3;
  return Math.max(0, Math.min(4, d));
}

function fmt(x, d, sign) {
  if (!finite(x)) return 'n/a';
  if (Math.abs(x) < 0.5 * 10 ** -d) x = 0;
  const s = x.toFixed(d);
  return sign && x >= 0 ? '+' + s : s;
}

function round(x) {
  if (!finite(x)) return 'n/a';
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  return x.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3);
}

// ---------------------------------------------------------------- report

function render(data, root) {
  const [nameA, nameB] = data.states.map((s, i) => s || (i ? 'B' : 'A'));
  const sideText = (s) => (s || '')
    .replace(/\bA's\b/g, nameA + "'s").replace(/\bB's\b/g, nameB + "'s")
    .replace(/\bby A\b/g, 'by ' + nameA).replace(/\bby B\b/g, 'by ' + nameB)
    .replace(/\bin A\b/g, 'in ' + nameA).replace(/\bin B\b/g, 'in ' + nameB)
    .replace(/\bPersons A\b/g, 'Persons ' + nameA).replace(/\bPersons B\b/g, 'Persons ' + nameB)
    .replace(/\bVisas A\b/g, 'Visas ' + nameA).replace(/\bVisas B\b/g, 'Visas ' + nameB)
    .replace(/\bwhich A\b/g, 'which ' + nameA).replace(/\bwhich B\b/g, 'which ' + nameB)
    .replace(/\bfavours A\b/g, 'favours ' + nameA).replace(/\bfavours B\b/g, 'favours ' + nameB);
  const outInfo = Object.fromEntries(data.outputs.map((o) => [o.name, o]));
  const serInfo = Object.fromEntries(data.series.map((o) => [o.name, o]));
  const compare = data.kind === 'compare'; // paired differences against vars[0]
  // Options in the order given; when the user named none (the built-in
  // options of a base), by their effect on the balance, most favourable to
  // A first - never alphabetical.
  const byEffect = compare && data.options_order === 'effect';
  const effect = (v) => (v.diffs && v.diffs.balance && finite(v.diffs.balance.mean) ? v.diffs.balance.mean : 0);
  const vars = byEffect
    ? [data.variants[0], ...data.variants.slice(1).sort((p, q) => effect(q) - effect(p))]
    : data.variants;
  const base = vars[0];
  // stored runs of different pairs: each row names its own states
  const pairOf = (v) => (v.states ? `${v.states[0]}-${v.states[1]}` : '');
  const mixedPairs = data.kind === 'runs' && new Set(vars.map(pairOf)).size > 1;
  const pairNote = (v) => (mixedPairs && v.states ? el('small', { class: 'pair' }, `A = ${v.states[0]}, B = ${v.states[1]}`) : null);
  const multi = vars.length > 1;            // several scenarios side by side
  const vname = (v) => v.name || v.operand || v.title || '?';
  const color = (i) => PALETTE[i % PALETTE.length];
  // an option's name without the base's as prefix: "readmit-150"
  const shortName = (v) => {
    const s = vname(v), b = vname(base);
    const t = v !== base && s.startsWith(b + '-') ? s.slice(b.length + 1) : s;
    return data.kind === 'runs' && v.operand ? `${v.operand}: ${t}` : t;
  };
  const swatch = (i) => el('span', { class: 'swatch', style: `background:${color(i)}` });
  const legend = () => el('p', { class: 'legend' }, vars.map((v, i) =>
    el('span', {}, swatch(i), i === 0 && compare ? `${vname(v)} (base)` : shortName(v))));

  // header
  root.appendChild(el('header', {},
    el('p', { class: 'kicker' }, compare ? 'Legation comparison report' : multi ? 'Legation report of stored runs' : 'Legation run report'),
    el('h1', {}, base.title || vname(base)),
    el('p', { class: 'meta' },
      `${compare ? `${vars.length - 1} option${vars.length === 2 ? '' : 's'} against the base ${vname(base)}; ` : multi ? `${vars.length} stored runs side by side (independent: no paired differences); ` : `${vname(base)}; `}` +
      `${data.reps}${data.complete ? '' : ` of ${data.reps_requested}`} replications` +
      `${compare ? ' of each with common random numbers' : ''}, seed ${data.seed}, ` +
      `${data.months} months, ${finite(data.seconds) ? data.seconds.toFixed(2) : '?'} s; ` +
      `legation ${data.legation_version}`),
    data.complete ? null : el('p', { class: 'warn' }, 'The run was interrupted: the figures cover the replications that finished.')));

  // verdicts
  const vsec = el('section', { id: 'verdict' }, el('h2', {}, multi ? 'Verdicts' : 'Verdict'));
  if (multi) {
    const from = compare ? 1 : 0;
    vsec.appendChild(el('ul', {}, vars.slice(from).map((v, i) =>
      el('li', {}, swatch(i + from), compare ? '' : el('b', {}, shortName(v) + ': '), v.verdict || ''))));
  }
  if (compare) {
    if (data.narrowing && finite(data.narrowing.median))
      vsec.appendChild(el('p', { class: 'note' },
        `Paired intervals are ${data.narrowing.median.toFixed(1)}x narrower than two independent runs of the same size would give ` +
        `(median over ${data.narrowing.count} outputs and options): common random numbers let small differences show.`));
  } else {
    vsec.appendChild(el('p', {}, data.verdict));
  }
  root.appendChild(vsec);

  root.appendChild(scorecard());
  if (data.uncertainty && data.uncertainty.outputs) root.appendChild(worldsSection(data.uncertainty));
  // a comparison with drawn parameters: each option's change across worlds
  if (compare) vars.slice(1).forEach((v) => {
    if (v.worlds && v.worlds.outputs) root.appendChild(worldsSection(v.worlds, `Across the worlds: ${shortName(v)} minus the base`, `worlds-${vars.indexOf(v)}`));
  });

  // charts
  const fan = el('div', { class: 'grid' });
  const fanKinds = {};
  window.__legationFanKinds = fanKinds;
  root.appendChild(el('section', { id: 'series' },
    el('h2', {}, 'Monthly series'),
    el('p', { class: 'note' }, (multi
      ? `Median (line) with the 50% and 90% bands (q25-q75, q05-q95) of ${vname(base)}; the medians of the others as coloured lines.`
      : 'Median (line) with the 50% and 90% bands (q25-q75, q05-q95) across replications.') +
      ' Small counts (whole-number quantiles up to 10) show the mean instead of the median.'),
    multi ? legend() : null,
    fan));
  for (const s of ['staff_a', 'staff_b', 'officers_a', 'officers_b', 'sources_a', 'sources_b',
    'watched_a', 'watched_b', 'expelled_by_a', 'expelled_by_b', 'relations', 'progress'])
    if (serInfo[s]) fanChart(fan, s);

  root.appendChild(channelsSection());

  const dist = el('div', { class: 'grid' });
  root.appendChild(el('section', { id: 'distributions' }, el('h2', {}, 'Distributions'), multi ? legend() : null, dist));
  data.hist.forEach((h, i) => { if (h) histChart(dist, h, i); });
  probChart(dist, 'spiral', 'Probability of an expulsion spiral');
  if (multi) probChart(dist, 'settled', 'Probability the negotiation settles');

  if (compare) {
    const forest = el('div', { class: 'grid' });
    root.appendChild(el('section', { id: 'changes' },
      el('h2', {}, 'Options side by side'),
      el('p', { class: 'note' }, 'Change from the base (option minus base) with its paired 95% interval; the grey whisker is the interval two independent runs would give.'),
      forest));
    // the two sides' gains on one scale, so their sizes compare at a glance
    const gains = ['value_a', 'value_b'];
    const shared = diffRange(gains);
    data.scorecard.forEach((row) => forestChart(forest, row, gains.includes(row.output) ? shared : null));
  }

  root.appendChild(outputsTable());
  root.appendChild(paramsSection());
  root.appendChild(el('footer', {}, `Generated by legation ${data.legation_version}. This file is self-contained: it loads nothing from the network.`));

  // ------------------------------------------------------------ tables

  // Where each side's value comes from: one stacked bar per side and
  // scenario, the six channels of MODEL.md section 7 (they add up to the
  // side's value), all bars on one scale so the sides compare.
  function channelsSection() {
    const CH = [['officer', 'sources its officers recruited'], ['walkin', 'walk-ins'],
      ['recontact', 're-contacted dormant sources'], ['overt', 'overt collection'],
      ['uncapped', 'channels outside the missions'], ['turned', "the rival's officers it turned"]];
    const CHC = ['#1f4e79', '#6baed6', '#9ecae1', '#d95f02', '#fdae6b', '#7570b3'];
    const mean = (v, o) => (v.stats[o] && finite(v.stats[o].mean) ? Math.max(0, v.stats[o].mean) : 0);
    let top = 0;
    for (const v of vars) for (const ab of ['a', 'b']) top = Math.max(top, mean(v, 'value_' + ab));
    if (!(top > 0) || !outInfo.value_officer_a) return null;
    const sec = el('section', { id: 'channels' }, el('h2', {}, 'Where the value comes from'),
      el('p', { class: 'note' }, 'Mean value by channel per replication; the channels add up to the side\'s value. ' +
        'All bars share one scale.'),
      el('p', { class: 'legend' }, CH.map(([, label], k) =>
        el('span', {}, el('span', { class: 'swatch', style: `background:${CHC[k]}` }), label))));
    const tb = el('tbody');
    ['a', 'b'].forEach((ab, side) => vars.forEach((v, i) => {
      const bar = el('div', { class: 'stack' });
      CH.forEach(([ch, label], k) => {
        const x = mean(v, `value_${ch}_${ab}`);
        if (x > 0) bar.appendChild(el('span', { style: `width:${(100 * x / top).toFixed(3)}%;background:${CHC[k]}`,
          title: `${label}: ${fmt(x, decimals(x, x, x))}` }));
      });
      tb.appendChild(el('tr', {},
        el('th', {}, `${[nameA, nameB][side]}${multi ? ' \u2014 ' : ''}`, multi ? swatch(i) : null, multi ? shortName(v) : null),
        el('td', { class: 'num' }, fmt(mean(v, 'value_' + ab), decimals(mean(v, 'value_' + ab), 0, 0))),
        el('td', { class: 'bar' }, bar)));
    }));
    sec.appendChild(el('table', { class: 'channels' }, tb));
    return sec;
  }

  // With drawn parameters: the wider of the replication interval and the
  // interval over worlds (what is not known and noise, as the verdict
  // uses); a world interval over few worlds can be degenerate (0 to 0 for
  // a probability no world reached).
  function wider(st0, w) {
    return w && finite(w.lo) && finite(w.hi)
      ? { ...st0, lo: finite(st0.lo) ? Math.min(w.lo, st0.lo) : w.lo, hi: finite(st0.hi) ? Math.max(w.hi, st0.hi) : w.hi }
      : st0;
  }

  function scorecard() {
    const sec = el('section', { id: 'scorecard' }, el('h2', {}, 'Scorecard'));
    if (multi && !compare) {
      const head = el('tr', {}, el('th', {}, 'run'), data.scorecard.map((r) => el('th', { class: 'num' }, r.label)));
      const tb = el('tbody');
      vars.forEach((v, i) => {
        const tr = el('tr', {}, el('th', {}, swatch(i), shortName(v), mixedPairs ? el('br') : null, pairNote(v)));
        for (const r of data.scorecard) {
          const st = v.stats[r.output];
          const prob = outInfo[r.output] && outInfo[r.output].kind === 'prob';
          const k = prob ? 100 : 1, suf = prob ? '%' : '';
          const d = st ? (prob ? 1 : decimals(st.mean, st.lo, st.hi)) : 0;
          tr.appendChild(el('td', { class: 'num' }, st ? fmt(st.mean * k, d) + suf : '', el('br'),
            el('small', {}, st && finite(st.lo) ? `${fmt(st.lo * k, d)} to ${fmt(st.hi * k, d)}` : '')));
        }
        tb.appendChild(tr);
      });
      sec.appendChild(el('p', { class: 'note' }, 'Mean with its 95% interval; the runs are independent, so compare them with care (legation compare pairs them).' +
        (mixedPairs ? ' The runs model different pairs of states: A and B are named under each run.' : '')));
      sec.appendChild(el('div', { class: 'scroll' }, el('table', {}, el('thead', {}, head), tb)));
      return sec;
    }
    if (!compare) {
      // drawn parameters: the interval over worlds (what is not known and
      // noise), as in the verdict, not the one that treats replications as
      // independent
      const wo = data.uncertainty && data.uncertainty.outputs;
      const t = el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, ''), el('th', { class: 'num' }, 'mean'), el('th', { class: 'num' }, wo ? '95% CI (worlds and noise)' : '95% CI'), el('th', { class: 'num' }, 'median (q05 to q95)'))));
      const tb = el('tbody');
      for (const row of data.scorecard) {
        const st0 = base.stats[row.output];
        const info = outInfo[row.output];
        if (!st0 || !info) continue;
        const st = wider(st0, wo && wo[row.output]);
        const prob = info.kind === 'prob';
        const k = prob ? 100 : 1, suf = prob ? '%' : '';
        const d = prob ? 1 : decimals(st.mean, st.lo, st.hi);
        tb.appendChild(el('tr', {}, el('th', {}, row.label),
          el('td', { class: 'num' }, fmt(st.mean * k, d) + suf),
          el('td', { class: 'num' }, finite(st.lo) ? `${fmt(st.lo * k, d)}${suf} to ${fmt(st.hi * k, d)}${suf}` : ''),
          el('td', { class: 'num' }, prob ? '' : `${round(st.q50)} (${round(st.q05)} to ${round(st.q95)})`)));
      }
      t.appendChild(tb);
      sec.appendChild(t);
      return sec;
    }
    const drawn = vars.slice(1).some((v) => v.worlds && v.worlds.outputs);
    sec.appendChild(el('p', { class: 'note' }, 'Change from the base, option minus base, with its paired 95% interval' +
      (drawn ? ' over worlds (it covers the drawn parameters and Monte Carlo noise, as the verdicts do)' : '') +
      '; probabilities in percentage points. Bold: the interval excludes zero.' +
      (byEffect ? ` Options sorted by their effect on the balance (${nameA} minus ${nameB}), most favourable to ${nameA} first; name them on the command line to keep your own order.` : ' Options in the order given.')));
    const head = el('tr', {}, el('th', {}, 'option'), data.scorecard.map((r) => el('th', { class: 'num' }, r.label)));
    const tb = el('tbody');
    const baseRow = el('tr', { class: 'base' }, el('th', {}, swatch(0), `${vname(base)} (base level)`));
    for (const r of data.scorecard) {
      const st = base.stats[r.output];
      const prob = outInfo[r.output] && outInfo[r.output].kind === 'prob';
      baseRow.appendChild(el('td', { class: 'num' }, st ? (prob ? fmt(st.mean * 100, 1) + '%' : fmt(st.mean, decimals(st.mean, st.lo, st.hi))) : ''));
    }
    tb.appendChild(baseRow);
    vars.slice(1).forEach((v, i) => {
      const tr = el('tr', {}, el('th', {}, swatch(i + 1), shortName(v)));
      for (const r of data.scorecard) {
        const d0 = v.diffs && v.diffs[r.output];
        if (!d0) { tr.appendChild(el('td', {}, '')); continue; }
        const d = wider(d0, v.worlds && v.worlds.outputs && v.worlds.outputs[r.output]);
        const prob = outInfo[r.output] && outInfo[r.output].kind === 'prob';
        const k = prob ? 100 : 1;
        const dec = prob ? 1 : decimals(d.mean, d.lo, d.hi);
        const clear = finite(d.lo) && (d.lo > 0 || d.hi < 0);
        tr.appendChild(el('td', { class: 'num' + (clear ? ' clear' : '') },
          fmt(d.mean * k, dec, true), el('br'),
          el('small', {}, finite(d.lo) ? `${fmt(d.lo * k, dec, true)} to ${fmt(d.hi * k, dec, true)}` : '')));
      }
      tb.appendChild(tr);
    });
    sec.appendChild(el('div', { class: 'scroll' }, el('table', {}, el('thead', {}, head), tb)));
    return sec;
  }

  function outputsTable() {
    const sec = el('section', { id: 'outputs' }, el('h2', {}, 'Every output'));
    if (multi && !compare) {
      const t = el('table', { class: 'small' }, el('thead', {}, el('tr', {},
        el('th', {}, 'output'), el('th', {}, 'description'), vars.map((v, i) => el('th', { class: 'num' }, swatch(i), shortName(v), mixedPairs ? el('br') : null, pairNote(v))))));
      const tb = el('tbody');
      for (const o of data.outputs) {
        tb.appendChild(el('tr', {}, el('td', {}, el('code', {}, o.name)), el('td', {}, sideText(o.description)),
          vars.map((v) => {
            const st = v.stats[o.name];
            if (!st) return el('td', {}, '');
            const d = decimals(st.mean, st.lo, st.hi);
            return el('td', { class: 'num' }, fmt(st.mean, d), el('br'), el('small', {}, finite(st.lo) ? `${fmt(st.lo, d)} to ${fmt(st.hi, d)}` : ''));
          })));
      }
      t.appendChild(tb);
      sec.appendChild(el('p', { class: 'note' }, 'Mean with its 95% interval per run.'));
      sec.appendChild(el('div', { class: 'scroll' }, t));
      return sec;
    }
    if (!compare) {
      const t = el('table', { class: 'small' }, el('thead', {}, el('tr', {},
        ['output', 'description', 'unit', 'mean', '95% CI', 'q05', 'q50', 'q95'].map((h) => el('th', {}, h)))));
      const tb = el('tbody');
      for (const o of data.outputs) {
        const st = base.stats[o.name];
        if (!st) continue;
        const d = decimals(st.mean, st.lo, st.hi);
        tb.appendChild(el('tr', {}, el('td', {}, el('code', {}, o.name)), el('td', {}, sideText(o.description)), el('td', {}, o.unit),
          el('td', { class: 'num' }, fmt(st.mean, d)),
          el('td', { class: 'num' }, finite(st.lo) ? `${fmt(st.lo, d)} to ${fmt(st.hi, d)}` : ''),
          el('td', { class: 'num' }, round(st.q05)), el('td', { class: 'num' }, round(st.q50)), el('td', { class: 'num' }, round(st.q95))));
      }
      t.appendChild(tb);
      sec.appendChild(t);
      return sec;
    }
    sec.appendChild(el('p', { class: 'note' }, 'Per option: the means of base and option, the paired change with its 95% interval, the interval independent runs would give, and how many times narrower the paired one is.'));
    vars.slice(1).forEach((v, i) => {
      const t = el('table', { class: 'small' }, el('thead', {}, el('tr', {},
        ['output', 'description', 'base', 'option', 'change', 'paired 95% CI', 'independent 95% CI', 'narrower'].map((h) => el('th', {}, h)))));
      const tb = el('tbody');
      for (const o of data.outputs) {
        const d = v.diffs && v.diffs[o.name];
        const b = base.stats[o.name], s = v.stats[o.name];
        if (!d || !b || !s) continue;
        const dec = decimals(d.mean, d.lo, d.hi), dm = decimals(b.mean, b.lo, b.hi);
        const clear = finite(d.lo) && (d.lo > 0 || d.hi < 0);
        tb.appendChild(el('tr', {}, el('td', {}, el('code', {}, o.name)), el('td', {}, sideText(o.description)),
          el('td', { class: 'num' }, fmt(b.mean, dm)), el('td', { class: 'num' }, fmt(s.mean, dm)),
          el('td', { class: 'num' + (clear ? ' clear' : '') }, fmt(d.mean, dec, true)),
          el('td', { class: 'num' }, finite(d.lo) ? `${fmt(d.lo, dec, true)} to ${fmt(d.hi, dec, true)}` : ''),
          el('td', { class: 'num' }, finite(d.indep_lo) ? `${fmt(d.indep_lo, dec, true)} to ${fmt(d.indep_hi, dec, true)}` : ''),
          el('td', { class: 'num' }, finite(d.narrowing) ? d.narrowing.toFixed(1) + 'x' : '')));
      }
      t.appendChild(tb);
      sec.appendChild(el('details', i === 0 ? { open: '' } : {},
        el('summary', {}, swatch(i + 1), `${shortName(v)} minus ${vname(base)}`),
        el('div', { class: 'scroll' }, t)));
    });
    return sec;
  }

  function dealTable(v) {
    if (!v.deal || !v.deal.length) return el('p', { class: 'note' }, 'No deal step is scheduled.');
    const t = el('table', { class: 'small' }, el('thead', {}, el('tr', {},
      ['month', 'action', 'on the mission of', 'value', 'post', 'when R >=', 'when P >=', 'source'].map((h) => el('th', {}, h)))));
    const tb = el('tbody');
    for (const d of v.deal) {
      const tgt = d.target === 'a' ? nameA : d.target === 'b' ? nameB : d.target;
      tb.appendChild(el('tr', {}, el('td', { class: 'num' }, d.month), el('td', {}, d.action), el('td', {}, tgt),
        el('td', { class: 'num' }, finite(d.value) ? String(d.value) : ''), el('td', {}, d.post || ''),
        el('td', { class: 'num' }, finite(d.r_min) ? String(d.r_min) : ''), el('td', { class: 'num' }, finite(d.p_min) ? String(d.p_min) : ''),
        el('td', { class: 'source' }, d.source || '')));
    }
    t.appendChild(tb);
    return el('div', { class: 'scroll' }, t);
  }

  function paramsTable(params, withBase) {
    const t = el('table', { class: 'small' }, el('thead', {}, el('tr', {},
      ['parameter', withBase ? 'base' : null, 'value', 'plausible range', 'unit', 'source'].filter((h) => h !== null).map((h) => el('th', {}, h)))));
    const tb = el('tbody');
    for (const p of params) {
      tb.appendChild(el('tr', {}, el('td', { title: p.description || '' }, el('code', {}, p.key)),
        withBase ? el('td', { class: 'num' }, p.base_value || '') : null,
        el('td', { class: 'num' }, p.value), el('td', {}, p.plausible || '-'), el('td', {}, p.unit || ''), el('td', { class: 'source' }, p.source || '')));
    }
    t.appendChild(tb);
    return el('div', { class: 'scroll' }, t);
  }

  function paramsSection() {
    const sec = el('section', { id: 'parameters' }, el('h2', {}, 'Scenario and parameters'));
    sec.appendChild(el('h3', {}, `${vname(base)}${compare ? ' (base)' : ''}${multi && !compare && base.operand ? ` (${base.operand})` : ''}: ${base.title || ''}`));
    const bs = mixedPairs && base.states ? base.states : [nameA, nameB];
    sec.appendChild(el('p', { class: 'note' }, `States: A = ${bs[0]}, B = ${bs[1]}. Every parameter with the source its value rests on.`));
    sec.appendChild(el('h4', {}, 'Deal schedule'));
    sec.appendChild(dealTable(base));
    sec.appendChild(el('details', {}, el('summary', {}, `All ${base.params.length} parameters`), paramsTable(base.params, false)));
    vars.slice(1).forEach((v) => {
      sec.appendChild(el('h3', {}, `${vname(v)}${multi && !compare && v.operand ? ` (${v.operand})` : ''}: ${v.title || ''}`));
      if (mixedPairs && v.states) sec.appendChild(el('p', { class: 'note' }, `States: A = ${v.states[0]}, B = ${v.states[1]}.`));
      sec.appendChild(el('h4', {}, 'Deal schedule'));
      sec.appendChild(dealTable(v));
      if (v.params.length) {
        sec.appendChild(el('h4', {}, `Parameters that differ from ${vname(base)}`));
        sec.appendChild(paramsTable(v.params, true));
      } else {
        sec.appendChild(el('p', { class: 'note' }, `Every parameter as in ${vname(base)}.`));
      }
    });
    return sec;
  }

  // ------------------------------------------------------------ charts

  function card(parent, id, title, sub) {
    const box = el('div', { class: 'chart', id });
    parent.appendChild(el('figure', {}, el('figcaption', {}, title, sub ? el('small', {}, sub) : null), box));
    return box;
  }

  function width(box) {
    return Math.max(280, Math.min(560, box.clientWidth || 440));
  }

  // Register a chart and count the finite values its series draw.
  function done(id, kind, u, seriesIdx) {
    let points = 0;
    for (const i of seriesIdx) for (const y of u.data[i]) if (finite(y)) points++;
    charts.push({ id, kind, points, y: [u.scales.y.min, u.scales.y.max] });
  }

  function fanChart(parent, name) {
    // (fanKinds records which line each fan chart draws, for the test)
    const info = serInfo[name];
    const id = 'fan-' + name;
    const box = card(parent, id, sideText(info.description), info.unit);
    const b = base.series[name];
    const n = b.q50.length;
    const x = Array.from({ length: n }, (_, i) => i + 1);
    const c = color(0);
    // A small count (every quantile a whole number, the 95th at most 10:
    // officers or sources of a small mission) has a median that jumps
    // between 0, 1 and 2 and hides change: draw its mean instead.
    const isCount = vars.every((v) => {
      const s = v.series[name];
      if (!s) return true;
      const qs = ['q05', 'q25', 'q50', 'q75', 'q95'].flatMap((q) => s[q] || []).filter(finite);
      return qs.every(Number.isInteger) && Math.max(0, ...s.q95.filter(finite)) <= 10;
    });
    const line = (s) => (isCount && s.mean ? s.mean : s.q50);
    const series = [{ label: 'month' },
      { label: 'q95', stroke: 'transparent', points: { show: false } },
      { label: 'q75', stroke: 'transparent', points: { show: false } },
      { label: isCount ? 'mean' : 'median', stroke: c, width: 2, points: { show: false } },
      { label: 'q25', stroke: 'transparent', points: { show: false } },
      { label: 'q05', stroke: 'transparent', points: { show: false } }];
    const dat = [x, b.q95, b.q75, line(b), b.q25, b.q05];
    vars.slice(1).forEach((v, i) => {
      series.push({ label: shortName(v), stroke: color(i + 1), width: 1.5, points: { show: false } });
      dat.push(line(v.series[name]));
    });
    if (isCount) box.parentNode.querySelector('figcaption small').textContent = `${info.unit || ''} - mean (a small count: its median jumps between whole numbers), bands q25-q75 and q05-q95`;
    fanKinds[name] = isCount ? 'mean' : 'median';
    const u = new uPlot({
      width: width(box), height: 240,
      legend: { show: false },
      cursor: { points: { show: false } },
      scales: { x: { time: false } },
      axes: [{ label: 'month', size: 40, labelSize: 18 }, { size: 56 }],
      bands: [{ series: [1, 5], fill: c + '26' }, { series: [2, 4], fill: c + '55' }],
      series,
    }, dat, box);
    done(id, 'fan', u, dat.map((_, i) => i).slice(1));
  }

  function histChart(parent, h, k) {
    const id = 'hist-' + h.output;
    const label = h.output === 'balance' ? `Balance: ${nameA}'s minus ${nameB}'s intelligence gain` : sideText(h.description);
    const sub = (h.unit || '') + (h.from === 'quantiles' ? ' - approximate: drawn from the quantiles (per-replication values not kept)' : ' - replications per bin');
    const box = card(parent, id, label, sub);
    const nb = h.edges.length - 1;
    const x = Array.from({ length: Math.max(nb, 0) }, (_, i) => (h.edges[i] + h.edges[i + 1]) / 2);
    const dat = [x];
    const series = [{ label: h.output }];
    h.counts.forEach((row, i) => {
      dat.push(row);
      series.push(i === 0
        ? { label: shortName(vars[0]), stroke: color(0), fill: color(0) + (multi ? '55' : 'bb'), width: 1, paths: uPlot.paths.bars({ size: [1, 100], gap: 1 }), points: { show: false } }
        : { label: shortName(vars[i]), stroke: color(i), width: 1.5, paths: uPlot.paths.stepped({ align: 0 }), points: { show: false } });
    });
    const u = new uPlot({
      width: width(box), height: 240,
      legend: { show: false },
      cursor: { points: { show: false } },
      scales: { x: { time: false, range: () => [h.edges[0] ?? 0, h.edges[nb] ?? 1] }, y: { range: (u0, lo, hi) => [0, hi > 0 ? hi * 1.05 : 1] } },
      axes: [{ label: h.output === 'balance' ? 'balance (value)' : h.unit || '', size: 40, labelSize: 18 }, { size: 56, label: 'replications', labelSize: 18 }],
      series,
    }, dat, box);
    done(id, 'histogram', u, dat.map((_, i) => i).slice(1));
  }

  // Bars per variant with their 95% interval as whiskers.
  function probChart(parent, output, title) {
    const info = outInfo[output];
    if (!info) return;
    const id = 'prob-' + output;
    const box = card(parent, id, title, 'per scenario, with its 95% interval (Wilson)');
    const x = vars.map((_, i) => i);
    const y = vars.map((v) => (v.stats[output] ? v.stats[output].mean * 100 : null));
    const lo = vars.map((v) => (v.stats[output] ? v.stats[output].lo * 100 : null));
    const hi = vars.map((v) => (v.stats[output] ? v.stats[output].hi * 100 : null));
    const top = Math.max(1, ...hi.filter(finite), ...y.filter(finite));
    const u = new uPlot({
      width: width(box), height: 240 + catExtra(vars),
      legend: { show: false },
      cursor: { show: false },
      padding: [8, catPad(vars), 0, 0], // room for the slanted names
      scales: { x: { time: false, range: [-0.5, vars.length - 0.5] }, y: { range: [0, Math.min(100, top * 1.15)] } },
      axes: [catAxis(vars),
        { size: 56, label: 'percent', labelSize: 18 }],
      series: [{}, { label: title, fill: color(0) + 'aa', stroke: color(0), paths: uPlot.paths.bars({ size: [0.6, 80], disp: { fill: { unit: 3, kind: 2, values: () => vars.map((_, i) => color(i) + 'aa') }, stroke: { unit: 3, kind: 2, values: () => vars.map((_, i) => color(i)) } } }), points: { show: false } }],
      hooks: { draw: [(u0) => whiskers(u0, x, lo, hi, '#222')] },
    }, [x, y], box);
    done(id, 'probability', u, [1]);
  }

  // The y range [lo, hi] holding every option's change and intervals of the
  // given outputs (and 0), padded.
  function diffRange(outputs) {
    const all = [0];
    for (const o of outputs) {
      const k = outInfo[o] && outInfo[o].kind === 'prob' ? 100 : 1;
      for (const v of vars.slice(1)) {
        const d = v.diffs && v.diffs[o];
        if (d) for (const f of ['mean', 'lo', 'hi', 'indep_lo', 'indep_hi']) if (finite(d[f])) all.push(d[f] * k);
      }
    }
    const mn = Math.min(...all), mx = Math.max(...all);
    const pad = (mx - mn) * 0.08 || 1;
    return [mn - pad, mx + pad];
  }

  // Change from the base per option: a point with paired and independent
  // intervals.  range: a y range shared with other charts, or null.
  function forestChart(parent, row, range) {
    const info = outInfo[row.output];
    if (!info) return;
    const prob = info.kind === 'prob';
    const k = prob ? 100 : 1;
    const opts = vars.slice(1);
    const id = 'change-' + row.output;
    const box = card(parent, id, 'Change in ' + row.label, (prob ? 'percentage points, option minus base' : `${info.unit || ''}, option minus base`) +
      (range ? `; same scale for ${nameA} and ${nameB}` : ''));
    const x = opts.map((_, i) => i);
    const get = (v, f) => (v.diffs && v.diffs[row.output] && finite(v.diffs[row.output][f]) ? v.diffs[row.output][f] * k : null);
    const y = opts.map((v) => get(v, 'mean'));
    const lo = opts.map((v) => get(v, 'lo')), hi = opts.map((v) => get(v, 'hi'));
    const ilo = opts.map((v) => get(v, 'indep_lo')), ihi = opts.map((v) => get(v, 'indep_hi'));
    const yr = range || diffRange([row.output]);
    const u = new uPlot({
      width: width(box), height: 240 + catExtra(opts),
      legend: { show: false },
      cursor: { show: false },
      padding: [8, catPad(opts), 0, 0],
      scales: { x: { time: false, range: [-0.5, opts.length - 0.5] }, y: { range: yr } },
      axes: [catAxis(opts), { size: 56 }],
      series: [{}, { label: 'change', stroke: 'transparent', points: { show: true, size: 9, fill: '#000', stroke: '#000' } }],
      hooks: {
        draw: [(u0) => {
          const ctx = u0.ctx;
          const z = u0.valToPos(0, 'y', true);
          ctx.save();
          ctx.strokeStyle = '#999';
          ctx.setLineDash([4, 4]);
          ctx.beginPath();
          ctx.moveTo(u0.bbox.left, z);
          ctx.lineTo(u0.bbox.left + u0.bbox.width, z);
          ctx.stroke();
          ctx.restore();
          whiskers(u0, x.map((t) => t + 0.12), ilo, ihi, '#aaa');
          whiskers(u0, x, lo, hi, null);
        }],
      },
    }, [x, y], box);
    done(id, 'change', u, [1]);
  }

  // An x axis with one tick per scenario, named in full (never clipped):
  // slanted when crowded, with the axis as tall and the right padding as
  // wide as the longest name needs (about 6.5 px a character at 12 px).
  function longest(list) { return Math.max(1, ...list.map((v) => shortName(v).length)); }
  function slanted(list) { return list.length > 2 || longest(list) > 14; }
  function catSize(list) {
    return slanted(list) ? Math.ceil(longest(list) * CH * SIN) + 30 : 40;
  }
  function catExtra(list) { return Math.max(0, catSize(list) - 90); }
  function catPad(list) {
    if (!slanted(list)) return 8;
    return Math.ceil(shortName(list[list.length - 1]).length * CH * COS) + 8;
  }
  function catAxis(list) {
    const slant = slanted(list);
    return {
      splits: () => list.map((_, i) => i),
      values: (_, ticks) => ticks.map((t) => {
        const s = list[t] ? shortName(list[t]) : '';
        if (s) axisLabels.push(s);
        return s;
      }),
      rotate: slant ? -35 : 0,
      size: catSize(list),
      gap: 4,
    };
  }

  function whiskers(u, xs, lo, hi, stroke) {
    const ctx = u.ctx;
    ctx.save();
    ctx.lineWidth = 2 * devicePixelRatio;
    xs.forEach((xv, i) => {
      if (!finite(lo[i]) || !finite(hi[i])) return;
      const px = u.valToPos(xv, 'x', true);
      const y0 = u.valToPos(lo[i], 'y', true), y1 = u.valToPos(hi[i], 'y', true);
      const cap = 5 * devicePixelRatio;
      ctx.strokeStyle = stroke || color(i + 1);
      ctx.beginPath();
      ctx.moveTo(px, y0); ctx.lineTo(px, y1);
      ctx.moveTo(px - cap, y0); ctx.lineTo(px + cap, y0);
      ctx.moveTo(px - cap, y1); ctx.lineTo(px + cap, y1);
      ctx.stroke();
    });
    ctx.restore();
  }
}


// ---------------------------------------------------------------- sweeps

// A colour on a diverging scale for t in [-1, 1]: orange below 0 (the
// balance favours B), white at 0, blue above (it favours A).
function diverging(t) {
  const c = Math.max(-1, Math.min(1, t));
  const a = c < 0 ? [217, 95, 2] : [31, 78, 121];
  const k = Math.abs(c);
  return `rgb(${Math.round(255 + (a[0] - 255) * k)},${Math.round(255 + (a[1] - 255) * k)},${Math.round(255 + (a[2] - 255) * k)})`;
}

function renderSweep(data, root) {
  const [nameA, nameB] = data.states.map((s, i) => s || (i ? 'B' : 'A'));
  const names = {
    value_a: `intelligence gained by ${nameA}`, value_b: `intelligence gained by ${nameB}`,
    balance: `balance (${nameA} minus ${nameB})`, spiral: 'expulsion spiral (probability)',
    settled: 'negotiation settles (probability)',
  };
  const label = (o) => names[o.name] || o.description;
  root.appendChild(el('h1', {}, `Sweep of ${data.title || data.name}`));
  root.appendChild(el('p', {}, `${data.points} points (${data.design} design) x ${data.reps_per_point} replications each, with the same random numbers at every point; swept: ${data.keys.join(', ')}. Bands are 95% intervals over each point's replications.`));
  const groups = [];
  const byGroup = new Map();
  for (const r of data.rows) {
    const g = `${r.scenario}|${r.kind}`;
    if (!byGroup.has(g)) { byGroup.set(g, []); groups.push({ key: g, scenario: r.scenario, kind: r.kind }); }
    byGroup.get(g).push(r);
  }
  const nk = data.keys.length;
  const bal = data.outputs.findIndex((o) => o.name === 'balance');
  groups.forEach((g, gi) => {
    const rows = byGroup.get(g.key);
    const sec = el('section', { class: 'sweep-group' },
      el('h2', {}, g.kind === 'change' ? `${g.scenario}: change from the base` : g.scenario));
    root.appendChild(sec);
    if (nk === 1) {
      // line charts with bands, one per output
      const order = rows.map((r, i) => i).sort((a, b) => rows[a].params[0] - rows[b].params[0]);
      data.outputs.forEach((o, oi) => {
        const k = o.kind === 'prob' ? 100 : 1;
        const xs = order.map((i) => rows[i].params[0]);
        const ys = order.map((i) => (finite(rows[i].mean[oi]) ? rows[i].mean[oi] * k : null));
        const lo = order.map((i) => (finite(rows[i].lo[oi]) ? rows[i].lo[oi] * k : null));
        const hi = order.map((i) => (finite(rows[i].hi[oi]) ? rows[i].hi[oi] * k : null));
        const id = `sweep-${gi}-${o.name}`;
        const box = el('div', { class: 'chart', id });
        sec.appendChild(el('h3', {}, `${label(o)}${o.kind === 'prob' ? ' (%)' : ''}`));
        sec.appendChild(box);
        const c = PALETTE[oi % PALETTE.length];
        const u = new uPlot({
          width: data.chart_width || 560, height: 220, scales: { x: { time: false } },
          axes: [{ label: data.keys[0] }, { size: 64 }],
          series: [{}, { label: 'upper', stroke: c + '55', dash: [4, 4] },
            { label: 'lower', stroke: c + '55', dash: [4, 4] },
            { label: 'mean', stroke: c, width: 2 }],
          bands: [{ series: [1, 2], fill: c + '22' }],
        }, [xs, hi, lo, ys], box);
        charts.push({ id, kind: 'sweep-line', points: ys.filter(finite).length, y: [u.scales.y.min, u.scales.y.max] });
      });
    } else if (bal >= 0) {
      // two keys: a heat map of the balance over both; more: small
      // multiples of the balance against each key
      const vals = rows.map((r) => r.mean[bal]).filter(finite);
      const m = Math.max(1e-12, ...vals.map(Math.abs));
      const pairs = nk === 2 ? [[0, 1]] : data.keys.map((_, i) => [i, -1]);
      pairs.forEach(([xi, yi]) => {
        const id = `sweep-${gi}-${xi}-${yi}`;
        const W = nk === 2 ? 600 : 260, H = nk === 2 ? 400 : 200, pad = 60;
        const cv = el('canvas', { id, width: W, height: H, class: 'heat' });
        const title = yi >= 0 ? `balance (${nameA} minus ${nameB}) over ${data.keys[xi]} and ${data.keys[yi]}`
          : `balance against ${data.keys[xi]}`;
        sec.appendChild(el('div', { class: 'small-multiple' }, el('h3', {}, title), cv));
        const ctx = cv.getContext('2d');
        const xs = rows.map((r) => r.params[xi]);
        const ys = yi >= 0 ? rows.map((r) => r.params[yi]) : rows.map((r) => r.mean[bal]);
        const ext = (a) => { const f = a.filter(finite); return [Math.min(...f), Math.max(...f)]; };
        const [x0, x1] = ext(xs), [y0, y1] = ext(ys);
        const px = (x) => pad + (x1 > x0 ? (x - x0) / (x1 - x0) : 0.5) * (W - 2 * pad);
        const py = (y) => H - pad - (y1 > y0 ? (y - y0) / (y1 - y0) : 0.5) * (H - 2 * pad);
        let n = 0;
        rows.forEach((r, i) => {
          const v = r.mean[bal];
          if (!finite(v) || !finite(xs[i]) || !finite(ys[i])) return;
          ctx.fillStyle = yi >= 0 ? diverging(v / m) : PALETTE[0];
          const cell = (span) => Math.max(4, Math.min(90, 0.95 * span / Math.max(1, Math.sqrt(rows.length) - 1)));
          const sx = yi >= 0 ? cell(W - 2 * pad) : 4, sy = yi >= 0 ? cell(H - 2 * pad) : 4;
          ctx.fillRect(px(xs[i]) - sx / 2, py(ys[i]) - sy / 2, sx, sy);
          n++;
        });
        ctx.fillStyle = '#333';
        ctx.font = '11px sans-serif';
        ctx.fillText(`${round(x0)}`, pad, H - 12);
        ctx.fillText(`${round(x1)}`, W - pad - 30, H - 12);
        ctx.fillText(`${round(y1)}`, 2, pad);
        ctx.fillText(`${round(y0)}`, 2, H - pad);
        charts.push({ id, kind: yi >= 0 ? 'sweep-heat' : 'sweep-multiple', points: n });
      });
      if (nk === 2)
        sec.appendChild(el('p', { class: 'note' }, `Colour: the balance, orange where it favours ${nameB}, blue where it favours ${nameA}, white near 0 (scale +/-${round(m)}).`));
    }
  });
}


// ---------------------------------------------------------------- studies

// Sensitivity (kind "sensitivity", cmd_sensitivity.c sobol_doc): per
// output a tornado of total-order indices (bars, 95% whiskers) with the
// first-order index marked, ranked by ST, and the sentence naming what
// drives it.
function renderSensitivity(data, root) {
  root.appendChild(el('h1', {}, `Which assumptions drive the answer: ${data.scenario}`));
  root.appendChild(el('p', {}, `Sobol indices over ${data.groups.length} groups of uncertain parameters, N = ${data.n} base points (${data.evaluations} model runs), seed ${data.seed}. Bars: total-order index ST (the share of the output's variance a group accounts for, with its interactions) with its 95% bootstrap interval; the orange tick: the first-order index S1 (alone). The noise line is the share of the variance that is replication noise: each ST includes up to that much.`));
  const key = ['balance', 'balance_change', 'value_a', 'value_b', 'spiral', 'settled', 'spiral_change', 'settled_change', 'value_a_change', 'value_b_change'];
  const outs = data.outputs.filter((o) => key.includes(o.name) || data.outputs.length <= 6)
    .sort((a, b) => key.indexOf(a.name) - key.indexOf(b.name));
  outs.forEach((o) => {
    const idx = o.indices.filter((x) => finite(x.st)).sort((a, b) => b.st - a.st);
    const top = idx.filter((x) => x.st >= 0.1).slice(0, 3);
    const sentence = top.length
      ? `What drives ${o.name}: ${top.map((x) => `${x.group} (ST ${x.st.toFixed(2)})`).join(', ')}.`
      : `No group accounts for a tenth of ${o.name}'s variance alone or with its interactions.`;
    const sec = el('section', { class: 'study' }, el('h2', {}, o.name),
      el('p', {}, `${sentence} Replication noise: ${finite(o.noise_share) ? (100 * o.noise_share).toFixed(1) + '%' : 'n/a'} of the variance.`));
    root.appendChild(sec);
    const W = 760, rowH = 22, pad = 260, H = 30 + rowH * idx.length;
    const id = `tornado-${o.name}`;
    const cv = el('canvas', { id, width: W, height: H, class: 'tornado' });
    sec.appendChild(el('div', { class: 'chart-box' }, cv));
    const ctx = cv.getContext('2d');
    const x = (v) => pad + Math.max(0, Math.min(1.05, v)) / 1.05 * (W - pad - 20);
    ctx.font = '12px sans-serif';
    ctx.strokeStyle = '#bbb';
    for (let t = 0; t <= 1; t += 0.25) {
      ctx.beginPath(); ctx.moveTo(x(t), 10); ctx.lineTo(x(t), H - 14); ctx.stroke();
      ctx.fillStyle = '#555'; ctx.fillText(t.toFixed(2), x(t) - 10, H - 2);
    }
    let n = 0;
    idx.forEach((g, i) => {
      const y = 14 + i * rowH;
      ctx.fillStyle = '#333';
      ctx.fillText(g.group.length > 40 ? g.group : g.group, 4, y + 12);
      ctx.fillStyle = PALETTE[0] + 'cc';
      ctx.fillRect(x(0), y + 2, x(g.st) - x(0), rowH - 8);
      if (finite(g.st_lo) && finite(g.st_hi)) {
        ctx.strokeStyle = '#111';
        ctx.beginPath(); ctx.moveTo(x(g.st_lo), y + rowH / 2 - 1); ctx.lineTo(x(g.st_hi), y + rowH / 2 - 1); ctx.stroke();
      }
      if (finite(g.s1)) { ctx.fillStyle = '#d95f02'; ctx.fillRect(x(g.s1) - 1.5, y, 3, rowH - 4); }
      n++;
    });
    if (finite(o.noise_share)) {
      ctx.strokeStyle = '#e7298a'; ctx.setLineDash([4, 3]);
      ctx.beginPath(); ctx.moveTo(x(o.noise_share), 8); ctx.lineTo(x(o.noise_share), H - 14); ctx.stroke();
      ctx.setLineDash([]);
    }
    charts.push({ id, kind: 'tornado', points: n });
  });
}

// Scenario discovery (kind "discover"): the peeling trajectory, coverage
// against density with the chosen box marked, and the box's bounds.
function renderDiscover(data, root) {
  root.appendChild(el('h1', {}, `Where '${data.where}' holds: ${data.scenario}`));
  const b = data.box;
  root.appendChild(el('p', {}, `PRIM over ${data.points} sampled points (seed ${data.seed}). The chosen box (step ${b.step}): on the half it was found on, coverage ${(100 * b.train.coverage).toFixed(1)}% and density ${(100 * b.train.density).toFixed(1)}%; on the held-out half, coverage ${(100 * b.test.coverage).toFixed(1)}% and density ${(100 * b.test.density).toFixed(1)}% (${b.test.interest} of ${b.test.points} points). A box whose held-out density is near the share of points where the condition holds explains nothing.`));
  const tr = data.trajectory;
  const id = 'prim-tradeoff';
  const box = el('div', { class: 'chart', id });
  root.appendChild(el('h2', {}, 'Peeling trajectory: coverage against density'));
  root.appendChild(box);
  const xs = tr.map((t) => 100 * t.coverage), ys = tr.map((t) => 100 * t.density);
  const order = xs.map((_, i) => i).sort((i, j) => xs[i] - xs[j]);
  new uPlot({
    width: 560, height: 300, scales: { x: { time: false, range: [0, 100] }, y: { range: [0, 100] } },
    axes: [{ label: 'coverage (%)' }, { label: 'density (%)', size: 60 }],
    series: [{}, { label: 'trajectory', stroke: PALETTE[0], points: { show: true, size: 4 } },
      { label: 'chosen', stroke: 'transparent', points: { show: true, size: 10, fill: '#d95f02', stroke: '#d95f02' } }],
  }, [order.map((i) => xs[i]), order.map((i) => ys[i]), order.map((i) => (i === b.step ? ys[i] : null))], box);
  charts.push({ id, kind: 'prim', points: xs.length });
  const t = el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'parameter'), el('th', {}, 'from'), el('th', {}, 'to'), el('th', {}, 'p-value'))));
  const tb = el('tbody', {});
  for (const r of b.bounds) tb.appendChild(el('tr', {}, el('th', {}, r.factor), el('td', {}, round(r.lo)), el('td', {}, round(r.hi)), el('td', {}, finite(r.p_value) ? r.p_value.toPrecision(2) : 'n/a')));
  t.appendChild(tb);
  root.appendChild(el('h2', {}, 'The box'));
  root.appendChild(t);
  if (data.sample) renderBoxScatter(data.sample, root);
}

// The sampled points on the two factors the box restricts most (orange:
// the condition holds), with the box drawn over them.
function renderBoxScatter(sm, root) {
  const [ax, ay] = sm.axes;
  const id = 'prim-points';
  const W = 560, H = 360, pad = 50;
  const cv = el('canvas', { id, width: W, height: H, class: 'prim-points' });
  root.appendChild(el('h2', {}, `The box over the sampled points: ${ax.factor} against ${ay.factor}`));
  root.appendChild(el('p', {}, `${sm.points.length} of the ${sm.of} points; orange where the condition holds, grey where it does not. The rectangle is the box on these two factors (others may be restricted too, so not every point inside is in the box).`));
  root.appendChild(el('div', { class: 'chart-box' }, cv));
  const ctx = cv.getContext('2d');
  const sx = (v) => pad + (v - ax.lo) / ((ax.hi - ax.lo) || 1) * (W - pad - 10);
  const sy = (v) => H - pad - (v - ay.lo) / ((ay.hi - ay.lo) || 1) * (H - pad - 10);
  ctx.strokeStyle = '#999'; ctx.strokeRect(pad, 10, W - pad - 10, H - pad - 10);
  ctx.font = '11px sans-serif'; ctx.fillStyle = '#333';
  ctx.fillText(ax.factor, W / 2 - 40, H - 12);
  ctx.fillText(round(ax.lo), pad, H - pad + 14); ctx.fillText(round(ax.hi), W - 50, H - pad + 14);
  ctx.fillText(round(ay.hi), 4, 20); ctx.fillText(round(ay.lo), 4, H - pad);
  ctx.save(); ctx.translate(12, H / 2 + 40); ctx.rotate(-Math.PI / 2); ctx.fillText(ay.factor, 0, 0); ctx.restore();
  for (const [x, y, h] of sm.points) {
    if (!finite(x) || !finite(y)) continue;
    ctx.fillStyle = h ? '#d95f02' : 'rgba(120,120,120,0.45)';
    ctx.beginPath(); ctx.arc(sx(x), sy(y), h ? 2.5 : 2, 0, 2 * Math.PI); ctx.fill();
  }
  if (finite(ax.box_lo) && finite(ay.box_lo)) {
    ctx.strokeStyle = '#1b9e77'; ctx.lineWidth = 2;
    ctx.strokeRect(sx(ax.box_lo), sy(ay.box_hi), sx(ax.box_hi) - sx(ax.box_lo), sy(ay.box_lo) - sy(ay.box_hi));
    ctx.lineWidth = 1;
  }
  charts.push({ id, kind: 'prim-points', points: sm.points.length });
}


// A run whose parameters were drawn (--uncertain, --vary, --posterior): per
// output the spread of the per-world means (what is not known) beside the
// Monte Carlo interval of the mean alone (noise), and the share of worlds
// on each side of 0.
function worldsSection(u, title = 'Across the worlds', id = 'uncertainty') {
  const keys = ['balance', 'value_a', 'value_b', 'spiral', 'settled', 'expelled_a', 'expelled_b'];
  const names = Object.keys(u.outputs).filter((k) => keys.includes(k));
  const t = el('table', { id: id === 'uncertainty' ? 'worlds' : `${id}-table` }, el('thead', {}, el('tr', {},
    el('th', {}, 'output'), el('th', {}, 'mean'), el('th', {}, '95% interval (worlds and noise)'),
    el('th', {}, 'noise alone'), el('th', {}, 'worlds 5-95%'), el('th', {}, 'worlds above 0'))));
  const tb = el('tbody', {});
  for (const k of names) {
    const w = u.outputs[k];
    const share = w.worlds ? `${Math.round(100 * w.worlds_above_0 / w.worlds)}% (${w.worlds_above_0} of ${w.worlds})` : 'n/a';
    tb.appendChild(el('tr', {}, el('th', {}, k), el('td', {}, round(w.mean)),
      el('td', {}, `${round(w.lo)} to ${round(w.hi)}`), el('td', {}, `${round(w.noise_lo)} to ${round(w.noise_hi)}`),
      el('td', {}, `${round(w.q05)} to ${round(w.q95)}`), el('td', {}, share)));
  }
  t.appendChild(tb);
  const n = (u.varied || []).length;
  return el('section', { id }, el('h2', {}, title),
    el('p', { class: 'note' }, `${n} parameter${n === 1 ? '' : 's'} drawn afresh in each world, ${u.reps_per_world} replication${u.reps_per_world === 1 ? '' : 's'} per world. ` +
      'The interval of the mean covers both what is not known and Monte Carlo noise; "noise alone" is what it would be if the drawn values were known. ' +
      'Worlds 5-95% is the spread of the per-world means: where the answer would lie if one of these worlds were the true one.'),
    t);
}

// A robust choice (kind "decide", cmd_game.c): the options' utilities and
// regret, and the value of learning each parameter first.
function renderDecide(data, root) {
  root.appendChild(el('h1', {}, `Robust choice for ${data.side}`));
  root.appendChild(el('p', {}, `${data.options.length} options over ${data.worlds} worlds (${data.world}), seed ${data.seed}. Best by expected utility: ${data.best.expected_utility}; by the 5th percentile: ${data.best.q05}; by maximum regret: ${data.best.max_regret}. The best option leads ${data.margin.runner_up} by ${round(data.margin.mean)} (95% CI ${round(data.margin.lo)} to ${round(data.margin.hi)}, paired over worlds). Perfect information would be worth ${round(data.evpi)}.`));
  const t = el('table', {}, el('thead', {}, el('tr', {}, ['option', 'E[utility]', '5th percentile', 'mean regret', 'max regret', 'best in'].map((h) => el('th', {}, h)))));
  const tb = el('tbody', {});
  for (const o of data.options) {
    tb.appendChild(el('tr', {}, el('th', {}, o.option), el('td', { class: 'num' }, round(o.expected_utility)),
      el('td', { class: 'num' }, round(o.q05)), el('td', { class: 'num' }, round(o.mean_regret)),
      el('td', { class: 'num' }, round(o.max_regret)), el('td', { class: 'num' }, `${(100 * o.share_best).toFixed(1)}%`)));
  }
  t.appendChild(tb);
  root.appendChild(el('p', { id: 'utility' }, `${data.side}'s utility: ${Object.entries(data.utility || {}).map(([k, v]) => `${k} ${v}`).join(', ')} (docs/DECISIONS.md).`));
  root.appendChild(el('h2', {}, 'Options'));
  root.appendChild(el('div', { class: 'scroll', id: 'regret' }, t));
  const ev = (data.evppi || []).filter((r) => finite(r.evppi)).slice(0, 20);
  if (!ev.length) {
    root.appendChild(el('p', {}, 'No parameter is drawn per world, so the value of partial information is not computed (run decide with --uncertain).'));
    return;
  }
  root.appendChild(el('h2', {}, 'Value of learning one parameter first (EVPPI)'));
  const W = 760, rowH = 22, pad = 260, H = 30 + rowH * ev.length;
  const id = 'evppi';
  const cv = el('canvas', { id, width: W, height: H, class: 'tornado' });
  root.appendChild(el('div', { class: 'chart-box' }, cv));
  const ctx = cv.getContext('2d');
  const top = Math.max(data.evpi || 0, ...ev.map((r) => (finite(r.hi) ? r.hi : r.evppi)));
  const x = (v) => pad + Math.max(0, v) / (top || 1) * (W - pad - 20);
  ctx.font = '12px sans-serif';
  ev.forEach((r, i) => {
    const y = 14 + i * rowH;
    ctx.fillStyle = '#333';
    ctx.fillText(r.parameter, 4, y + 12);
    ctx.fillStyle = PALETTE[0] + 'cc';
    ctx.fillRect(x(0), y + 2, x(r.evppi) - x(0), rowH - 8);
    if (finite(r.lo) && finite(r.hi)) {
      ctx.strokeStyle = '#111';
      ctx.beginPath(); ctx.moveTo(x(r.lo), y + rowH / 2 - 1); ctx.lineTo(x(r.hi), y + rowH / 2 - 1); ctx.stroke();
    }
  });
  if (finite(data.evpi)) {
    ctx.strokeStyle = '#d95f02'; ctx.setLineDash([4, 3]);
    ctx.beginPath(); ctx.moveTo(x(data.evpi), 6); ctx.lineTo(x(data.evpi), H - 6); ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = '#d95f02'; ctx.fillText('EVPI', x(data.evpi) + 4, H - 6);
  }
  charts.push({ id, kind: 'evppi', points: ev.length });
}


// A game (kind "game", cmd_game.c): each side's payoffs over the bimatrix
// as a heat map with the 95% half-widths, best responses marked (*), the
// equilibria listed with their regret under the payoff uncertainty.
function renderGame(data, root) {
  const [p0, p1] = data.players;
  root.appendChild(el('h1', {}, `The deal as a game: ${data.scenario}`));
  root.appendChild(el('p', {}, `Rows: ${p0}'s strategies; columns: ${p1}'s. Each cell: the side's mean utility with its 95% half-width; * marks a best response to the other side's strategy. Equilibria by ${data.method}${data.complete ? ' (all extreme equilibria)' : ' (possibly incomplete)'}${data.degenerate ? '; the game is degenerate' : ''}.`));
  const rows = data.strategies.a, cols = data.strategies.b;
  if (data.utility)
    root.appendChild(el('p', { id: 'utility' }, `Utilities: ${p0}: ${Object.entries(data.utility.a).map(([k, v]) => `${k} ${v}`).join(', ')}; ${p1}: ${Object.entries(data.utility.b).map(([k, v]) => `${k} ${v}`).join(', ')} (docs/DECISIONS.md).`));
  [['a', p0], ['b', p1]].forEach(([side, who]) => {
    const vals = data.payoffs.flat().map((c) => c[side]).filter(finite);
    const lo = Math.min(...vals), hi = Math.max(...vals);
    const t = el('table', { class: 'game', id: `payoff-${side}` },
      el('thead', {}, el('tr', {}, el('th', {}, `${who}'s utility`), ...cols.map((c) => el('th', {}, c)))));
    const tb = el('tbody', {});
    rows.forEach((r, i) => {
      tb.appendChild(el('tr', {}, el('th', {}, r), ...cols.map((c, j) => {
        const cell = data.payoffs[i][j];
        const v = cell[side], h = cell['halfwidth_' + side];
        const best = cell['best_response_' + side];
        const tcol = hi > lo ? 2 * (v - lo) / (hi - lo) - 1 : 0;
        const td = el('td', { class: 'num' }, `${round(v)}${best ? ' *' : ''} \u00b1 ${round(h)}`);
        td.style.background = diverging(0.55 * tcol); // light enough to read on
        return td;
      })));
    });
    t.appendChild(tb);
    root.appendChild(el('h2', {}, `${who}'s payoffs`));
    root.appendChild(el('div', { class: 'scroll' }, t));
  });
  const eq = el('ul', { id: 'equilibria' });
  for (const e of data.equilibria || []) {
    const mix = (p, names) => p.map((x, k) => (x > 0 ? `${names[k]} ${(100 * x).toFixed(0)}%` : null)).filter(Boolean).join(', ');
    eq.appendChild(el('li', {}, `${e.ne}: ${p0} plays ${mix(e.p1, rows)}, ${p1} plays ${mix(e.p2, cols)}; payoffs ${round(e.payoff[0])}, ${round(e.payoff[1])}; worst-case regret within the intervals ${round(e.worst_regret[0])}, ${round(e.worst_regret[1])}: ${e.survives ? 'survives the payoff uncertainty' : 'does not survive the payoff uncertainty'}.`));
  }
  root.appendChild(el('h2', {}, 'Equilibria'));
  root.appendChild(eq);
  charts.push({ id: 'game', kind: 'game', points: data.payoffs.flat().length });
}


// A calibration (kind "calibration", cmd_calibrate.c final_doc): each
// parameter's weighted posterior histogram against the prior's mass per bin,
// how much was learned, pairwise scatter of the particles, the generations.
function priorCdf(p, x) {
  const lo = p.lo, hi = p.hi;
  if (x <= lo) return 0;
  if (x >= hi) return 1;
  if (p.dist === 'loguniform') return Math.log(x / lo) / Math.log(hi / lo);
  if (p.dist === 'triangular' && finite(p.mode)) {
    const c = p.mode;
    return x <= c ? (x - lo) ** 2 / ((hi - lo) * (c - lo || 1e-300)) : 1 - (hi - x) ** 2 / ((hi - lo) * (hi - c || 1e-300));
  }
  if (p.dist === 'normal' && finite(p.prior_sd)) {
    const z = (v) => 0.5 * (1 + erf((v - p.mode) / (p.prior_sd * Math.SQRT2)));
    return (z(x) - z(lo)) / (z(hi) - z(lo));
  }
  return (x - lo) / (hi - lo);
}

function erf(x) { // Abramowitz-Stegun 7.1.26, |error| < 1.5e-7
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

function renderCalibration(data, root) {
  root.appendChild(el('h1', {}, `Calibration${data.calibration ? ' ' + data.calibration : ''} of ${data.scenario}`));
  root.appendChild(el('p', {}, `ABC-SMC with ${data.particles} particles, ${data.generations.length} generations (${data.stopped}), ${data.simulations} simulations, seed ${data.seed}. Targets: ${data.targets.map((t) => `${t.name} = ${round(t.value)}`).join(', ')}.`));
  const w = data.posterior.weights, V = data.posterior.values;
  const B = 20;
  data.params.forEach((p, k) => {
    const id = `posterior-${k}`;
    const box = el('div', { class: 'chart', id });
    root.appendChild(el('h2', {}, `${p.key}: learned ${finite(p.learned) ? Math.round(100 * p.learned) + '%' : 'n/a'}${p.informed ? '' : ' (the targets do not inform it)'}`));
    root.appendChild(el('p', {}, `Prior ${p.dist} on [${round(p.lo)}, ${round(p.hi)}]; posterior mean ${round(p.mean)}, 90% interval ${round(p.q05)} to ${round(p.q95)}.`));
    root.appendChild(box);
    const xs = [], post = new Array(B).fill(0), prior = [];
    for (let b = 0; b < B; b++) {
      const a0 = p.lo + (b / B) * (p.hi - p.lo), a1 = p.lo + ((b + 1) / B) * (p.hi - p.lo);
      xs.push((a0 + a1) / 2);
      prior.push(priorCdf(p, a1) - priorCdf(p, a0));
    }
    V.forEach((row, i) => {
      const b = Math.min(B - 1, Math.max(0, Math.floor((row[k] - p.lo) / (p.hi - p.lo) * B)));
      if (finite(row[k])) post[b] += w[i];
    });
    new uPlot({
      width: 560, height: 200, scales: { x: { time: false }, y: { range: (u, lo, hi) => [0, hi * 1.1] } },
      axes: [{ label: p.key }, { label: 'probability per bin', size: 60 }],
      series: [{}, { label: 'posterior', fill: PALETTE[0] + '66', stroke: PALETTE[0], paths: uPlot.paths.bars({ size: [0.9, 60] }), points: { show: false } },
        { label: 'prior', stroke: '#d95f02', width: 2, dash: [5, 4] }],
    }, [xs, post, prior], box);
    charts.push({ id, kind: 'posterior', points: post.filter((x) => x > 0).length });
  });
  // pairwise scatter of the first four parameters
  const P = Math.min(4, data.params.length);
  if (P >= 2) {
    root.appendChild(el('h2', {}, 'Pairwise scatter of the particles (darker: heavier)'));
    const grid = el('div', { class: 'pairs' });
    root.appendChild(grid);
    const wmax = Math.max(...w);
    for (let i = 0; i < P; i++) for (let j = i + 1; j < P; j++) {
      const pi = data.params[i], pj = data.params[j];
      const S = 220, pad = 20, id = `pair-${i}-${j}`;
      const cv = el('canvas', { id, width: S, height: S, class: 'pair' });
      grid.appendChild(el('div', { class: 'small-multiple' }, el('h3', {}, `${pj.key} against ${pi.key}`), cv));
      const ctx = cv.getContext('2d');
      ctx.strokeStyle = '#ccc'; ctx.strokeRect(pad, pad, S - 2 * pad, S - 2 * pad);
      let n = 0;
      V.forEach((row, r) => {
        const x = pad + (row[i] - pi.lo) / (pi.hi - pi.lo) * (S - 2 * pad);
        const y = S - pad - (row[j] - pj.lo) / (pj.hi - pj.lo) * (S - 2 * pad);
        if (!finite(x) || !finite(y)) return;
        ctx.fillStyle = `rgba(31,78,121,${Math.max(0.08, w[r] / wmax)})`;
        ctx.fillRect(x - 1.5, y - 1.5, 3, 3);
        n++;
      });
      charts.push({ id, kind: 'pair', points: n });
    }
  }
  const t = el('table', {}, el('thead', {}, el('tr', {}, ['generation', 'tolerance', 'acceptance', 'ESS', 'simulations'].map((h) => el('th', {}, h)))));
  const tb = el('tbody', {});
  for (const g of data.generations)
    tb.appendChild(el('tr', {}, el('td', {}, String(g.generation)), el('td', { class: 'num' }, finite(g.tolerance) ? g.tolerance.toPrecision(3) : 'inf'),
      el('td', { class: 'num' }, `${(100 * g.acceptance).toFixed(1)}%`), el('td', { class: 'num' }, round(g.ess)), el('td', { class: 'num' }, String(g.simulations))));
  t.appendChild(tb);
  root.appendChild(el('h2', {}, 'Generations'));
  root.appendChild(t);
}


// Morris elementary effects (kind "morris"): per output the mu*-sigma
// plane, one point per factor (large mu*: matters; large sigma: through
// interactions or non-linearly).
function renderMorris(data, root) {
  root.appendChild(el('h1', {}, `Morris screening: ${data.scenario}`));
  root.appendChild(el('p', {}, `${data.trajectories} trajectories on a ${data.levels}-level grid, seed ${data.seed}. Each point is a factor: mu* (mean absolute elementary effect, output units per whole range) against sigma (their spread: interactions or non-linearity).`));
  const key = ['balance', 'balance_change', 'value_a', 'value_b', 'spiral', 'settled'];
  const outs = data.outputs.filter((o) => key.includes(o.name) || data.outputs.length <= 6);
  outs.forEach((o) => {
    const id = `morris-${o.name}`;
    const W = 560, H = 320, pad = 50;
    const cv = el('canvas', { id, width: W, height: H, class: 'morris' });
    root.appendChild(el('h2', {}, o.name));
    root.appendChild(el('div', { class: 'chart-box' }, cv));
    const ctx = cv.getContext('2d');
    const es = o.effects.filter((e) => finite(e.mu_star) && finite(e.sigma));
    const mx = Math.max(1e-12, ...es.map((e) => e.mu_star)), my = Math.max(1e-12, ...es.map((e) => e.sigma));
    ctx.strokeStyle = '#999'; ctx.strokeRect(pad, 10, W - pad - 10, H - pad - 10);
    ctx.font = '11px sans-serif'; ctx.fillStyle = '#333';
    ctx.fillText('mu*', W / 2, H - 12); ctx.fillText('sigma', 4, 20);
    ctx.fillText(round(mx), W - 50, H - pad + 14); ctx.fillText(round(my), 4, 24 + 12);
    es.sort((a, b) => b.mu_star - a.mu_star).forEach((e, i) => {
      const x = pad + e.mu_star / mx * (W - pad - 20), y = H - pad - e.sigma / my * (H - pad - 20);
      ctx.fillStyle = PALETTE[0]; ctx.beginPath(); ctx.arc(x, y, 4, 0, 2 * Math.PI); ctx.fill();
      if (i < 6) { ctx.fillStyle = '#333'; ctx.fillText(e.factor, Math.min(x + 6, W - 150), y - 4); }
    });
    charts.push({ id, kind: 'morris', points: es.length });
  });
}


// The best terms (kind "optimize"): each lever's optimum in its range and
// the objective at the optimum and 5% of the range either side.
function renderOptimize(data, root) {
  root.appendChild(el('h1', {}, `Best terms: ${data.objective}`));
  root.appendChild(el('p', {}, `${data.evaluations} evaluations of ${data.reps} replications each (common random numbers). At the optimum the objective is ${round(data.value)} (standard error ${round(data.se)}, re-evaluated on fresh replications); constraints ${data.feasible ? 'met' : 'NOT met'} (largest ${round(data.max_constraint)}).`));
  data.levers.forEach((l, i) => {
    const id = `lever-${i}`;
    const W = 560, H = 110, pad = 40;
    const cv = el('canvas', { id, width: W, height: H, class: 'lever' });
    root.appendChild(el('h2', {}, `${l.key} = ${round(l.value)} (range ${round(l.lo)} to ${round(l.hi)})`));
    root.appendChild(el('div', { class: 'chart-box' }, cv));
    const ctx = cv.getContext('2d');
    const x = (v) => pad + (v - l.lo) / (l.hi - l.lo || 1) * (W - 2 * pad);
    ctx.strokeStyle = '#999'; ctx.beginPath(); ctx.moveTo(x(l.lo), 60); ctx.lineTo(x(l.hi), 60); ctx.stroke();
    ctx.font = '12px sans-serif'; ctx.fillStyle = '#333';
    ctx.fillText(round(l.lo), x(l.lo) - 10, 80); ctx.fillText(round(l.hi), x(l.hi) - 20, 80);
    const step = 0.05 * (l.hi - l.lo);
    [[l.value - step, l.objective_minus], [l.value, data.value], [l.value + step, l.objective_plus]].forEach(([v, f], k) => {
      if (!finite(v) || !finite(f)) return;
      ctx.fillStyle = k === 1 ? '#d95f02' : PALETTE[0];
      ctx.beginPath(); ctx.arc(x(v), 60, k === 1 ? 6 : 4, 0, 2 * Math.PI); ctx.fill();
      ctx.fillStyle = '#333'; ctx.fillText(round(f), x(v) - 14, 40 - (k === 1 ? 10 : 0));
    });
    charts.push({ id, kind: 'lever', points: 1 });
  });
}


// A posterior predictive check (kind "check", cmd_check.c): per statistic
// the model's 90% predictive band and median against the record's value.
function renderCheck(data, root) {
  root.appendChild(el('h1', {}, `Posterior predictive check: calibration ${data.calibration} against ${data.from}-${data.to}`));
  root.appendChild(el('p', {}, `${data.worlds} worlds drawn from the posterior of ${data.scenario}, one replication each, over the era's length. ${data.inside} of ${data.total} statistics of the record fall inside the model's 90% band.`));
  const W = 760, rowH = 34, pad = 230, H = 20 + rowH * data.targets.length;
  const id = 'check';
  const cv = el('canvas', { id, width: W, height: H, class: 'check' });
  root.appendChild(el('div', { class: 'chart-box' }, cv));
  const ctx = cv.getContext('2d');
  ctx.font = '12px sans-serif';
  data.targets.forEach((t, i) => {
    const y = 10 + i * rowH;
    const top = Math.max(t.q95, t.record, 1e-12) * 1.1;
    const x = (v) => pad + v / top * (W - pad - 30);
    ctx.fillStyle = '#333';
    ctx.fillText(`${t.statistic} (${t.side})`, 4, y + 16);
    ctx.fillStyle = (t.inside ? PALETTE[0] : '#d95f02') + '55';
    ctx.fillRect(x(t.q05), y + 6, Math.max(2, x(t.q95) - x(t.q05)), 14);
    ctx.fillStyle = '#111'; ctx.fillRect(x(t.median) - 1, y + 4, 2, 18);
    ctx.fillStyle = t.inside ? PALETTE[0] : '#d95f02';
    ctx.beginPath(); ctx.arc(x(t.record), y + 13, 5, 0, 2 * Math.PI); ctx.fill();
    ctx.fillStyle = '#333';
    ctx.fillText(`${round(t.record)} ${t.inside ? 'inside' : 'OUTSIDE'} [${round(t.q05)}, ${round(t.q95)}]`, W - 220 > x(t.q95) + 10 ? x(t.q95) + 10 : W - 220, y + 16);
  });
  root.appendChild(el('p', {}, 'Bar: the 90% predictive band; black tick: its median; dot: the record (blue inside, orange outside).'));
  charts.push({ id, kind: 'check', points: data.targets.length });
}

// ---------------------------------------------------------------- start

// Draw a report's data into root (the report page, and the workbench of
// `legation serve`, which imports this module); returns the charts drawn
// as [{id, kind, points}].
export function renderReport(data, root) {
  charts.length = 0;
  axisLabels.length = 0;
  try {
    if (data.kind === 'sweep') renderSweep(data, root);
    else if (data.kind === 'sensitivity') renderSensitivity(data, root);
    else if (data.kind === 'morris') renderMorris(data, root);
    else if (data.kind === 'discover') renderDiscover(data, root);
    else if (data.kind === 'decide') renderDecide(data, root);
    else if (data.kind === 'game') renderGame(data, root);
    else if (data.kind === 'optimize') renderOptimize(data, root);
    else if (data.kind === 'calibration') renderCalibration(data, root);
    else if (data.kind === 'check') renderCheck(data, root);
    else render(data, root);
  } catch (e) {
    root.appendChild(el('pre', { class: 'warn' }, 'This report could not be drawn: ' + (e && e.stack ? e.stack : e)));
    console.error(e);
  }
  return [...charts];
}

// The category labels renderReport's charts draw on their axes (the
// browser test checks that none is cut): a live array, as the charts draw
// after renderReport returns.
export function axisLabelsDrawn() {
  return axisLabels;
}
