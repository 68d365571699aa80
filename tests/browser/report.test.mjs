// SPDX-License-Identifier: GPL-3.0-or-later
// report.test.mjs - the HTML report in a real browser: writes a run report
// and a comparison report with the legation binary, opens each from file://
// in Debian's Chromium (driven by playwright-core from web/node_modules),
// and checks that every chart rendered with data points and visible pixels,
// that the page made no network request and logged no error.  Screenshots
// go to $LEGATION_ARTIFACTS (report-run.png, report-compare.png).
//
//   LEGATION_BIN=build/legation LEGATION_SOURCE_DIR=. node tests/browser/report.test.mjs
//
// Needs `make deps-test` (chromium, npm ci in web/); a missing piece is a failure
// with the command that installs it, never a skip.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = resolve(process.env.LEGATION_SOURCE_DIR || join(here, '..', '..'));
const bin = resolve(process.env.LEGATION_BIN || join(src, 'build', 'legation'));
const artifacts = resolve(process.env.LEGATION_ARTIFACTS || process.cwd());
const chromiumPath = process.env.LEGATION_CHROMIUM || '/usr/bin/chromium';

let passed = 0;
let failed = 0;
function check(ok, what, detail) {
  if (ok) {
    passed++;
    console.log(`ok   ${what}`);
  } else {
    failed++;
    console.log(`FAIL ${what}${detail ? `: ${detail}` : ''}`);
  }
}
function fatal(msg) {
  console.error(`report.test.mjs: ${msg}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

if (!existsSync(bin)) fatal(`${bin}: no legation binary (set LEGATION_BIN)`);
if (!existsSync(chromiumPath)) fatal(`${chromiumPath}: not installed; run 'make deps-test' (apt-get install chromium)`);
let chromium;
try {
  const require = createRequire(join(src, 'web', 'package.json'));
  ({ chromium } = require('playwright-core'));
} catch (e) {
  fatal(`playwright-core not found in web/node_modules; run 'make deps-test' (npm ci --prefix web): ${e.message}`);
}

const FANS = ['staff_a', 'staff_b', 'officers_a', 'officers_b', 'sources_a', 'sources_b',
  'watched_a', 'watched_b', 'expelled_by_a', 'expelled_by_b', 'relations', 'progress'].map((s) => 'fan-' + s);
const COMMON = [...FANS, 'hist-balance', 'hist-total_expelled', 'prob-spiral'];
const SCORE = ['value_a', 'value_b', 'balance', 'spiral', 'function_mean_a', 'function_mean_b', 'settled'];

const work = mkdtempSync(join(tmpdir(), 'legation-browser-'));
const profile = mkdtempSync(join(tmpdir(), 'legation-chromium-'));
const cases = [
  {
    name: 'run',
    args: ['run', '--reps', '300', '--quiet', '--report', join(work, 'run.html')],
    file: join(work, 'run.html'),
    charts: COMMON,
  },
  {
    // drawn parameters: the worlds table, and the scorecard's interval of
    // the balance is the verdict's (worlds and noise), not the narrower one
    // that treats the replications as independent
    name: 'run-uncertain',
    args: ['run', '--uncertain', '--reps', '200', '--months', '12', '--quiet', '--report', join(work, 'unc.html')],
    file: join(work, 'unc.html'),
    charts: COMMON,
    worlds: true,
  },
  {
    // drawn parameters in a comparison: each option's change across worlds,
    // and the scorecard's interval of the change is the verdict's
    name: 'compare-uncertain',
    args: ['compare', 'us-russia-2025', 'us-russia-2025-readmit-150', '--uncertain', '--reps', '200', '--months', '12', '--quiet', '--report', join(work, 'cunc.html')],
    file: join(work, 'cunc.html'),
    charts: [...COMMON, 'prob-settled'],
    worldsCompare: true,
  },
  {
    name: 'compare',
    args: ['compare', '--reps', '300', '--quiet', '--report', join(work, 'compare.html')],
    file: join(work, 'compare.html'),
    charts: [...COMMON, 'prob-settled', ...SCORE.map((s) => 'change-' + s)],
    order: 'effect',
  },
  {
    // options named on the command line, not in alphabetical order
    name: 'compare-given',
    args: ['compare', 'us-russia-2025', 'us-russia-2025-readmit-50', 'us-russia-2025-properties-consulates',
      'us-russia-2025-readmit-150-countermeasures', '--reps', '200', '--quiet', '--report', join(work, 'given.html')],
    file: join(work, 'given.html'),
    charts: [...COMMON, ...SCORE.map((s) => 'change-' + s)],
    order: ['readmit-50', 'properties-consulates', 'readmit-150-countermeasures'],
  },
  {
    // stored runs of two different pairs side by side
    name: 'runs-pairs',
    pre: [['run', 'uk-russia-2018', '--reps', '200', '--quiet', '--db', 'pairs.db'],
      ['run', 'us-china-2020', '--reps', '200', '--quiet', '--db', 'pairs.db']],
    args: ['report', '1', '2', '--db', 'pairs.db', '-o', join(work, 'pairs.html')],
    file: join(work, 'pairs.html'),
    charts: [...COMMON],
    pairs: ['A = UK, B = Russia', 'A = USA, B = China'],
  },
  {
    // a sweep of one parameter with an option: line charts with bands
    name: 'sweep-line',
    args: ['sweep', '--vary', 'states.a.ci_agents=200:1000:4', '--option', 'us-russia-2025-readmit-50',
      '--reps', '20', '--months', '12', '--no-store', '--quiet', '--report', join(work, 'sweep1.html')],
    file: join(work, 'sweep1.html'),
    charts: ['sweep-0-balance', 'sweep-1-value_b', 'sweep-2-spiral'],
    sweep: true,
  },
  {
    // two parameters: a heat map of the balance
    name: 'sweep-heat',
    args: ['sweep', '--vary', 'states.a.ci_agents=200:1000:3', '--vary', 'states.b.cover_share=0.2:0.5:3',
      '--reps', '10', '--months', '12', '--no-store', '--quiet', '--report', join(work, 'sweep2.html')],
    file: join(work, 'sweep2.html'),
    charts: ['sweep-0-0-1'],
    sweep: true,
  },
  {
    // Sobol indices as tornado charts, and a PRIM trajectory
    name: 'sensitivity',
    args: ['sensitivity', 'us-russia-2025', '--params', 'states.a.openness,states.b.cover_share,intel.recruit_rate',
      '--n', '32', '--reps', '2', '--set', 'horizon=12', '--quiet', '--report', join(work, 'sens.html')],
    file: join(work, 'sens.html'),
    charts: ['tornado-balance', 'tornado-value_b'],
    sweep: true,
  },
  {
    name: 'morris',
    args: ['sensitivity', 'test:linear', '--method', 'morris', '--n', '20', '--quiet', '--report', join(work, 'morris.html')],
    file: join(work, 'morris.html'),
    charts: ['morris-y'],
    sweep: true,
  },
  {
    name: 'discover',
    args: ['discover', 'us-russia-2025', '--params', 'states.a.openness,states.b.cover_share',
      '--where', 'balance > -800', '--points', '200', '--reps', '2', '--set', 'horizon=12', '--quiet',
      '--report', join(work, 'disc.html')],
    file: join(work, 'disc.html'),
    charts: ['prim-tradeoff', 'prim-points'],
    sweep: true,
  },
  {
    // robust choice: the regret table and the value-of-information bars
    name: 'decide',
    args: ['decide', 'us-russia-2025', 'us-russia-2025-readmit-50', '--uncertain', '--reps', '160',
      '--reps-per-world', '4', '--quiet', '--report', join(work, 'decide.html')],
    file: join(work, 'decide.html'),
    charts: ['evppi'],
    sweep: true,
  },
  {
    // the game: payoff heat maps with best responses and the equilibria
    name: 'game',
    args: ['game', 'us-russia-2025', '--strategies', join(src, 'docs', 'examples', 'strategies-2025.yaml'),
      '--reps', '40', '--quiet', '--report', join(work, 'game.html')],
    file: join(work, 'game.html'),
    charts: ['game'],
    sweep: true,
  },
  {
    // the best terms: the optimum in its range and its neighbourhood
    name: 'optimize',
    args: ['optimize', 'us-russia-2025-readmit-150', '--levers', 'states.a.ci_agents=300:1200',
      '--objective', 'max balance', '--max-evals', '6', '--reps', '20', '--quiet', '--report', join(work, 'opt.html')],
    file: join(work, 'opt.html'),
    charts: ['lever-0'],
    sweep: true,
  },
  {
    // a calibration: posteriors against priors, pairwise scatter
    name: 'calibration',
    args: ['calibrate', 'test:unidentifiable', '--particles', '300', '--generations', '3', '--no-store',
      '--quiet', '--report', join(work, 'calib.html')],
    file: join(work, 'calib.html'),
    charts: ['posterior-0', 'posterior-1', 'pair-0-1'],
    sweep: true,
  },
];

// launchPersistentContext gives Chromium the new, empty --user-data-dir.
const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--no-first-run'],
  viewport: { width: 1280, height: 900 },
});
try {
  for (const c of cases) {
    const t0 = Date.now();
    try {
      // in the scratch directory: `run` keeps its run in ./legation.db
      for (const pre of c.pre || []) execFileSync(bin, pre, { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
      execFileSync(bin, c.args, { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
    } catch (e) {
      check(false, `${c.name}: legation ${c.args.join(' ')}`, e.message);
      continue;
    }
    check(existsSync(c.file), `${c.name}: legation wrote the report (${Date.now() - t0} ms with the run)`);

    const page = await context.newPage();
    const requests = [];
    const errors = [];
    page.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith('file:') && !u.startsWith('data:')) requests.push(u);
    });
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(pathToFileURL(c.file).href);
    await page.waitForFunction(() => document.body.dataset.rendered === '1', null, { timeout: 30000 });
    const charts = await page.evaluate(() => window.__legationCharts || []);
    const byId = Object.fromEntries(charts.map((x) => [x.id, x]));
    for (const id of c.charts) {
      const ch = byId[id];
      check(ch && ch.points > 0, `${c.name}: chart ${id} has data points`, ch ? `${ch.points} points` : 'not drawn');
    }
    // every chart's canvas holds drawn (non-background) pixels
    const blank = await page.evaluate(() => [...document.querySelectorAll('.chart')].filter((box) => {
      const cv = box.querySelector('canvas');
      if (!cv || !cv.width || !cv.height) return true;
      const px = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
      for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) return false;
      return true;
    }).map((box) => box.id));
    check(blank.length === 0, `${c.name}: every chart canvas has pixels`, blank.join(', '));
    if (c.sweep) {
      // a heat map's canvas holds coloured cells
      const heat = await page.evaluate(() => [...document.querySelectorAll('canvas.heat')].map((cv) => {
        const px = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
        let n = 0;
        for (let i = 0; i < px.length; i += 4) if (px[i + 3] && (px[i] !== px[i + 1] || px[i + 1] !== px[i + 2])) n++;
        return n;
      }));
      if (c.name === 'sweep-heat') check(heat.length === 1 && heat[0] > 1000, `${c.name}: the heat map has coloured cells`, heat.join(', '));
      const text = await page.locator('body').innerText();
      check(/Sweep of|Which assumptions|Where '|Robust choice|as a game|Calibration|Morris screening|Best terms/.test(text) && !/could not be drawn/.test(text), `${c.name}: drawn without error`);
      const tornado = await page.evaluate(() => [...document.querySelectorAll('canvas.tornado')].length);
      if (c.name === 'sensitivity') check(tornado >= 2, `${c.name}: one tornado per output`, String(tornado));
      if (c.name === 'game') {
        const g = await page.evaluate(() => ({ cells: document.querySelectorAll('#payoff-a tbody td').length,
          stars: [...document.querySelectorAll('#payoff-a tbody td')].filter((t) => t.innerText.includes('*')).length,
          eq: document.querySelectorAll('#equilibria li').length }));
        check(g.cells === 6 && g.stars >= 1 && g.eq >= 1, `${c.name}: payoffs, best responses and equilibria`, JSON.stringify(g));
      }
      if (c.name === 'decide') {
        const rows = await page.evaluate(() => document.querySelectorAll('#regret tbody tr').length);
        check(rows === 2, `${c.name}: the regret table has a row per option`, String(rows));
      }
      check(requests.length === 0, `${c.name}: no network request`, requests.join(', '));
      check(errors.length === 0, `${c.name}: no console error`, errors.join(' | '));
      const shot = join(artifacts, `report-${c.name}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      console.log(`     screenshot: ${shot}`);
      await page.close();
      continue;
    }
    check(charts.length === await page.locator('.chart').count(), `${c.name}: every chart registered`);
    // value by channel: one stacked bar per side and scenario, each with
    // coloured segments, none wider than the whole
    const stacks = await page.evaluate(() => [...document.querySelectorAll('#channels .stack')].map((b) =>
      [...b.children].reduce((w, s) => w + parseFloat(s.style.width), 0)));
    const nvar = await page.evaluate(() => document.querySelectorAll('#channels tbody tr').length / 2);
    check(stacks.length >= 2 && stacks.length === 2 * nvar && stacks.every((w) => w > 0 && w <= 100.01),
      `${c.name}: value by channel, ${stacks.length} stacked bars`, stacks.join(', '));
    // issue 10: labels whole, the scorecard within 1280 px, options in the
    // order given (or by effect), the two sides' gains on one scale, small
    // counts as means, each run of a different pair with its own states
    const labels = await page.evaluate(() => window.__legationAxisLabels || []);
    check(labels.length > 0 && labels.every((s) => !s.includes('\u2026')), `${c.name}: no truncated axis label`, labels.filter((s) => s.includes('\u2026')).join(', '));
    const sc = await page.evaluate(() => {
      const box = document.querySelector('#scorecard');
      const wide = [...box.querySelectorAll('.scroll, table')].some((e) => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > 1280);
      const rows = [...box.querySelectorAll('tbody tr:not(.base) th')].map((th) => th.innerText);
      const data = JSON.parse(document.getElementById('legation-data').textContent);
      return { wide, rows, data };
    });
    check(!sc.wide, `${c.name}: the scorecard fits at 1280 px`);
    if (c.order) {
      const opts = sc.data.variants.slice(1);
      const base = sc.data.variants[0].name;
      const short = (v) => (v.name.startsWith(base + '-') ? v.name.slice(base.length + 1) : v.name);
      const want = c.order === 'effect'
        ? [...opts].sort((p, q) => q.diffs.balance.mean - p.diffs.balance.mean).map(short)
        : c.order;
      const got = sc.rows.map((r) => r.trim());
      check(JSON.stringify(got) === JSON.stringify(want), `${c.name}: options ${c.order === 'effect' ? 'sorted by effect on the balance' : 'in the order given'}`, `${got} vs ${want}`);
      const alpha = [...got].sort();
      if (c.order === 'effect') check(JSON.stringify(got) !== JSON.stringify(alpha) || got.length < 2, `${c.name}: not alphabetical`);
      const a = byId['change-value_a'], b = byId['change-value_b'];
      check(a && b && a.y[0] === b.y[0] && a.y[1] === b.y[1], `${c.name}: both sides' gains on one y scale`, a && b ? `${a.y} vs ${b.y}` : 'missing');
    }
    if (c.name === 'compare') {
      const kinds = await page.evaluate(() => window.__legationFanKinds || {});
      check(kinds.sources_a === 'mean' && kinds.staff_a === 'median', `${c.name}: small counts drawn as means, large ones as medians`, JSON.stringify(kinds));
    }
    if (c.worlds) {
      const w = await page.evaluate(() => {
        const rows = document.querySelectorAll('#worlds tbody tr').length;
        const bal = [...document.querySelectorAll('#scorecard tbody tr')].find((tr) => /balance/.test(tr.innerText));
        const u = JSON.parse(document.getElementById('legation-data').textContent).uncertainty.outputs.balance;
        return { rows, cell: bal ? bal.children[2].innerText : '', lo: u.lo, hi: u.hi };
      });
      const [lo, hi] = w.cell.split(' to ').map(Number);
      check(w.rows >= 3, `${c.name}: a worlds row per key output`, String(w.rows));
      check(Math.abs(lo - w.lo) <= 1 && Math.abs(hi - w.hi) <= 1, `${c.name}: the scorecard's balance interval is the worlds interval`, `${w.cell} vs ${w.lo} to ${w.hi}`);
    }
    if (c.worldsCompare) {
      const w = await page.evaluate(() => {
        const rows = document.querySelectorAll('#worlds-1-table tbody tr').length;
        const heads = [...document.querySelectorAll('#scorecard thead th')].map((th) => th.innerText);
        const col = heads.findIndex((h) => /balance/.test(h));
        const opt = document.querySelectorAll('#scorecard tbody tr')[1];
        const small = opt && col > 0 ? opt.children[col].querySelector('small') : null;
        const d = JSON.parse(document.getElementById('legation-data').textContent).variants[1].worlds.outputs.balance;
        return { rows, cell: small ? small.innerText : '', lo: d.lo, hi: d.hi };
      });
      const [lo, hi] = w.cell.replace(/\u2212/g, '-').split(' to ').map(Number);
      check(w.rows >= 3, `${c.name}: a worlds row per key output of the option's change`, String(w.rows));
      check(Math.abs(lo - w.lo) <= 1 && Math.abs(hi - w.hi) <= 1, `${c.name}: the option's balance interval is its interval over worlds`, `${w.cell} vs ${w.lo} to ${w.hi}`);
    }
    if (c.pairs) {
      for (const p of c.pairs) check(sc.rows.some((r) => r.includes(p)), `${c.name}: a row names its states: ${p}`, sc.rows.join(' | '));
      const heads = await page.evaluate(() => [...document.querySelectorAll('#scorecard thead th')].map((th) => th.innerText));
      check(heads.some((h) => /by A\b/.test(h)) && !heads.some((h) => /UK|China/.test(h)), `${c.name}: scorecard columns say A and B`, heads.join(' | '));
    }
    const text = await page.locator('main').innerText();
    check(/Scorecard/.test(text) && /source/i.test(text), `${c.name}: scorecard and parameter sources shown`);
    check(!/could not be drawn/.test(text), `${c.name}: no rendering error on the page`);
    check(requests.length === 0, `${c.name}: no network request`, requests.join(', '));
    check(errors.length === 0, `${c.name}: no console error`, errors.join(' | '));
    const shot = join(artifacts, `report-${c.name}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`     screenshot: ${shot}`);
    await page.close();
  }
} finally {
  await context.close();
  rmSync(work, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
