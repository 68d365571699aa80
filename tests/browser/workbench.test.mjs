// SPDX-License-Identifier: GPL-3.0-or-later
// workbench.test.mjs - the web workbench of `legation serve` in a real
// browser: starts the legation binary's server (with --token) on a free
// loopback port, drives the page in Debian's Chromium (playwright-core from
// web/node_modules) as an analyst would - the token typed once, a deal
// option chosen, a lever moved, compare, run, a bad value in the form and
// in the YAML editor, a shared link opened in a fresh tab and rerun, a
// long job cancelled, a comparison with parameter uncertainty (what its
// intervals cover, the worlds), a sweep of one parameter picked in the form
// (its band charts, its rows, its CSV, its link reopened and rerun), a
// sweep of two (heat maps), a long sweep cancelled, the timeline, the
// downloads, and on a second server with --db killed by SIGKILL mid-job and
// restarted on the same store the Jobs tab's Resume button - and checks
// what the page shows against what the API answers.  The page must log no error
// (a Content-Security-Policy violation is one).  Screenshots go to
// $LEGATION_ARTIFACTS (workbench-*.png), with the downloaded report.
//
//   LEGATION_BIN=build/legation LEGATION_SOURCE_DIR=. node tests/browser/workbench.test.mjs
//
// Needs `make deps-test` (chromium, npm ci in web/); a missing piece is a
// failure with the command that installs it, never a skip.
import { createRequire } from 'node:module';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = resolve(process.env.LEGATION_SOURCE_DIR || join(here, '..', '..'));
const bin = resolve(process.env.LEGATION_BIN || join(src, 'build', 'legation'));
const artifacts = resolve(process.env.LEGATION_ARTIFACTS || process.cwd());
const chromiumPath = process.env.LEGATION_CHROMIUM || '/usr/bin/chromium';
const TOKEN = 'workbench-test-token-0123456789';
const t0 = Date.now();

let passed = 0;
let failed = 0;
function check(ok, what, detail) {
  if (ok) {
    passed++;
    console.log(`ok   ${what}`);
  } else {
    failed++;
    console.log(`FAIL ${what}${detail !== undefined ? `: ${detail}` : ''}`);
  }
}
function fatal(msg) {
  console.error(`workbench.test.mjs: ${msg}`);
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
mkdirSync(artifacts, { recursive: true });

// ------------------------------------------------------------ the server

const work = mkdtempSync(join(tmpdir(), 'legation-workbench-'));
const profile = mkdtempSync(join(tmpdir(), 'legation-chromium-'));
// a results store with one run, listed on the Jobs tab
execFileSync(bin, ['run', '--reps', '20', '--db', 'w.db', '--label', 'stored-demo', '--quiet'], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
// A server on a free port: {proc, base, err()}
async function startServer(args) {
  const proc = spawn(bin, args, { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (d) => { err += d; });
  const url = await new Promise((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error('serve did not start in 10 s: ' + err)), 10000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /^listening on (http:\S+)\/api /m.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m[1]);
      }
    });
    proc.on('exit', (code) => rej(new Error(`serve exited (${code}): ${err}`)));
  });
  return { proc, base: url, err: () => err };
}
const servers = []; // the other servers, stopped at the end
const main = await startServer(['serve', '--port', '0', '--jobs', '2', '--token', TOKEN, '--db', 'w.db']).catch((e) => fatal(e.message));
const server = main.proc;
const base = main.base;

const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--no-first-run'],
  viewport: { width: 1440, height: 1000 },
  acceptDownloads: true,
});
const errors = [];
const foreign = [];

async function openPage(url, origin = base, token = TOKEN) {
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error' && !/401 \(Unauthorized\)/.test(m.text())) errors.push(`${m.text()} (${m.location().url})`); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) foreign.push(r.url()); });
  await page.goto(url);
  if (token) {
    // the first API call answers 401: the page asks for the token once
    await page.locator('#token-input').fill(token);
    await page.locator('.modal-box button[type=submit]').click();
  }
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 10000 });
  return page;
}
const shot = async (page, name) => {
  const f = join(artifacts, `workbench-${name}.png`);
  await page.screenshot({ path: f, fullPage: false });
  console.log(`     screenshot: ${f}`);
};
// Click a button that starts a job; the job once the page shows it
// finished (or in one of states)
async function startJob(page, button, states = ['done']) {
  const before = await page.evaluate(() => (window.__workbench.job ? window.__workbench.job.id : 0));
  await page.locator(button).click();
  await page.waitForFunction(([st, prev]) => {
    const w = window.__workbench;
    return w.job && w.job.id > prev && st.includes(w.job.status) && (w.job.status !== 'done' || w.shown === w.job.id);
  }, [states, before], { timeout: 30000 });
  return page.evaluate(() => window.__workbench.job);
}
// every chart canvas of a box has drawn (non-transparent) pixels
const blankCharts = (page, sel) => page.evaluate((s) => [...document.querySelectorAll(s + ' .chart')].filter((box) => {
  const cv = box.querySelector('canvas');
  if (!cv || !cv.width || !cv.height) return true;
  const px = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
  for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) return false;
  return true;
}).map((b) => b.id || b.className), sel);
const api = async (path) => (await fetch(base + path, { headers: { Authorization: 'Bearer ' + TOKEN } })).json();

try {
  // ---------------------------------------------------------- the page
  const head = await fetch(base + '/');
  const csp = head.headers.get('content-security-policy') || '';
  check(head.status === 200 && /script-src 'self'/.test(csp) && !/unsafe-inline/.test(csp) &&
    head.headers.get('x-content-type-options') === 'nosniff', 'GET / without the token: the page, with a CSP of self only and nosniff', csp);
  const noToken = await fetch(base + '/api/scenarios');
  check(noToken.status === 401, 'the API still needs the token', String(noToken.status));

  const page = await openPage(base + '/');
  const nParams = await page.locator('#params tbody tr').count();
  const apiParams = (await api('/api/params?scenario=us-russia-2025')).params;
  check(nParams === apiParams.length && nParams > 50, 'the form has a row per parameter of GET /api/params', `${nParams} vs ${apiParams.length}`);
  const ci = apiParams.find((p) => p.key === 'states.a.ci_agents');
  const ciInput = page.locator('input[data-key="states.a.ci_agents"]');
  const bounds = await ciInput.evaluate((e) => [e.min, e.max, e.closest('tr').title]);
  check(Number(bounds[0]) === ci.min && Number(bounds[1]) === ci.max && bounds[2] === 'Source: ' + ci.source,
    'an input is bounded by the valid range, its source on hover', JSON.stringify(bounds));
  const rr = await page.locator('tr[data-key="intel.recruit_rate"] td.plaus').innerText();
  check(/plausible 0\.01 to 0\.15 \(loguniform\)/.test(rr), 'the plausible range is shown', rr);

  // ------------------------------------------- option, lever, compare
  await page.locator('#options input[value="us-russia-2025-readmit-50"]').check();
  await page.locator('#param-filter').fill('ci_agents');
  await ciInput.fill('600');
  await page.locator('#reps').fill('200');
  await page.locator('#seed').fill('5');
  await page.waitForFunction(() => window.__workbench.check && window.__workbench.check.ok && !document.querySelector('#compare').disabled);
  const cmp = await startJob(page, '#compare');
  check(cmp.status === 'done' && cmp.done === 200, 'compare: the job ran to the end with progress shown', JSON.stringify(cmp));
  const charts = await page.evaluate(() => window.__workbench.charts);
  const byId = Object.fromEntries(charts.map((c) => [c.id, c]));
  for (const id of ['fan-staff_a', 'hist-balance', 'change-balance', 'change-value_b']) {
    check(byId[id] && byId[id].points > 0, `compare: chart ${id} has data points`, byId[id] ? byId[id].points : 'not drawn');
  }
  const blank = await blankCharts(page, '#report');
  check(blank.length === 0 && charts.length > 10, `compare: ${charts.length} charts, every canvas has pixels`, blank.join(', '));
  const job = await api('/api/jobs/' + cmp.id);
  const shownVerdict = await page.locator('#report').innerText();
  check(shownVerdict.includes(job.result.options[0].verdict.replace(/^us-russia-2025-/, '').slice(0, 60)), 'compare: the verdict is the API\'s', job.result.options[0].verdict);
  const scoreRows = await page.locator('#report #scorecard tbody tr').count();
  check(scoreRows >= 1, 'compare: the scorecard table is drawn', String(scoreRows));
  const param = await api(`/api/jobs/${cmp.id}/report?format=json`);
  const ciUsed = param.variants[0].params.find((p) => p.key === 'states.a.ci_agents');
  check(ciUsed && Number(ciUsed.value) === 600, 'compare: the lever moved is in the run', JSON.stringify(ciUsed));
  await shot(page, 'compare');

  // ------------------------------------------------------- downloads
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#dl-report').click()]);
  const reportFile = join(artifacts, 'workbench-report.html');
  await dl.saveAs(reportFile);
  const html = readFileSync(reportFile, 'utf8');
  check(/^<!DOCTYPE html>/.test(html) && html.includes('id="legation-data"') && html.includes('"kind":"compare"') &&
    dl.suggestedFilename() === `legation-job-${cmp.id}-us-russia-2025.html`, 'download: the HTML report of the job', dl.suggestedFilename());
  const rp = await context.newPage();
  await rp.goto(pathToFileURL(reportFile).href);
  await rp.waitForFunction(() => document.body.dataset.rendered === '1', null, { timeout: 15000 });
  const rc = await rp.evaluate(() => (window.__legationCharts || []).filter((c) => c.points > 0).length);
  check(rc > 10, 'download: the report opens offline and draws its charts', String(rc));
  await rp.close();
  const [dcsv] = await Promise.all([page.waitForEvent('download'), page.locator('#dl-csv').click()]);
  const csv = readFileSync(await dcsv.path(), 'utf8').split('\n');
  check(/^variant,role,operand,name,output/.test(csv[0]) && csv.filter((l) => l.startsWith('1,option,us-russia-2025-readmit-50,')).length > 10,
    'download: the CSV of the comparison', csv[0]);
  const [djson] = await Promise.all([page.waitForEvent('download'), page.locator('#dl-json').click()]);
  const jj = JSON.parse(readFileSync(await djson.path(), 'utf8'));
  check(jj.id === cmp.id && jj.result && jj.result.options.length === 1, 'download: the job as JSON');

  // ------------------------------------------- the shared link, rerun
  const link = await page.locator('#share-url').inputValue();
  check(/#.*o=us-russia-2025-readmit-50/.test(link) && /p\.states\.a\.ci_agents=600/.test(link) && /seed=5/.test(link), 'the link carries option, lever and seed', link);
  const page2 = await openPage(link);
  const form2 = await page2.evaluate(() => ({
    option: document.querySelector('#options input[value="us-russia-2025-readmit-50"]').checked,
    ci: document.querySelector('input[data-key="states.a.ci_agents"]').value,
    changed: document.querySelector('tr[data-key="states.a.ci_agents"]').classList.contains('changed'),
    reps: document.querySelector('#reps').value,
    seed: document.querySelector('#seed').value,
    scenario: document.querySelector('#scenario').value,
  }));
  check(form2.option && form2.ci === '600' && form2.changed && form2.reps === '200' && form2.seed === '5' && form2.scenario === 'us-russia-2025',
    'a colleague opening the link sees the same form', JSON.stringify(form2));
  await page2.waitForFunction(() => window.__workbench.check && window.__workbench.check.ok);
  const cmp2 = await startJob(page2, '#compare');
  const job2 = await api('/api/jobs/' + cmp2.id);
  const card = (j) => JSON.stringify(j.result.options[0].scorecard);
  check(cmp2.id !== cmp.id && card(job2) === card(job), 'the link reruns the same comparison: the same scorecard (same seed)');
  await page2.close();

  // -------------------------------------------------------- run base
  const run = await startJob(page, '#run');
  const runCharts = await page.evaluate(() => window.__workbench.charts);
  check(run.status === 'done' && runCharts.some((c) => c.id === 'fan-relations' && c.points > 0) && !runCharts.some((c) => c.id.startsWith('change-')),
    'run: the base alone, its fan charts drawn', runCharts.map((c) => c.id).join(' '));
  const rjob = await api('/api/jobs/' + run.id);
  check(rjob.kind === 'run' && (await page.locator('#report').innerText()).includes(rjob.result.verdict.slice(0, 60)), 'run: the verdict is the API\'s', rjob.result.verdict);
  await shot(page, 'run');

  // -------------------------------------------------------- cancel
  await page.locator('#reps').fill('100000');
  await page.waitForFunction(() => window.__workbench.check && window.__workbench.check.ok && !document.querySelector('#compare').disabled);
  await startJob(page, '#compare', ['running']);
  await page.waitForFunction(() => window.__workbench.job.done > 0, null, { timeout: 20000 });
  await shot(page, 'progress');
  await page.locator('#cancel').click();
  await page.waitForFunction(() => window.__workbench.job.status === 'cancelled', null, { timeout: 20000 });
  const cancelled = await page.evaluate(() => window.__workbench.job);
  check(cancelled.status === 'cancelled' && cancelled.done < 100000, 'cancel: a long job stops', JSON.stringify(cancelled));
  check((await page.locator('#status').innerText()).startsWith('cancelled'), 'cancel: the page says so');
  await page.locator('#reps').fill('200');

  // ------------------------------------------- parameter uncertainty
  await page.locator('#uncertain').check();
  await page.waitForFunction(() => window.__workbench.check && window.__workbench.check.ok && !document.querySelector('#compare').disabled);
  const ucmp = await startJob(page, '#compare');
  const ujob = await api('/api/jobs/' + ucmp.id);
  const uw = ujob.result.options[0].scorecard.find((x) => x.output === 'balance').worlds;
  const cover = await page.locator('#cover').evaluate((e) => [e.dataset.uncertain, e.textContent]);
  check(cover[0] === '1' && cover[1].includes(`each of ${uw.worlds} worlds`), 'uncertain: the page says what the intervals cover', cover[1]);
  const wrows = await page.locator('#report #worlds-1-table tbody tr').count();
  const wtext = await page.locator('#report #worlds-1').innerText();
  check(wrows >= 3 && wtext.includes(`(${uw.worlds_above_0} of ${uw.worlds})`),
    'uncertain: the spread across worlds of the option\'s change is shown (the report\'s own table)', `${wrows} rows`);
  await page.locator('#report #worlds-1').scrollIntoViewIfNeeded();
  await shot(page, 'uncertain');
  // a run: its report has the worlds (report.js draws them)
  const urun = await startJob(page, '#run');
  const udata = await api(`/api/jobs/${urun.id}/report?format=json`);
  const ucover = await page.locator('#cover').innerText();
  const uwrows = await page.locator('#report #uncertainty #worlds tbody tr').count();
  check(udata.uncertainty && ucover.includes(`${udata.uncertainty.varied.length} parameters`) && uwrows > 0,
    'uncertain: a run says how many parameters were drawn, and its report\'s worlds table is shown', `${uwrows} rows; ${ucover}`);
  await page.locator('#uncertain').uncheck();

  // ------------------------------------------------------------ sweep
  await page.locator('#tab-params').click();
  await page.locator('#param-filter').fill('recruit_rate');
  await page.locator('button[data-sweep="intel.recruit_rate"]').click();
  const rr0 = apiParams.find((p) => p.key === 'intel.recruit_rate');
  const sform = await page.evaluate(() => ({
    tab: !document.querySelector('#pane-sweep').hidden, key: document.querySelector('#sweep-key-0').value,
    lo: Number(document.querySelector('#sweep-lo-0').value), hi: Number(document.querySelector('#sweep-hi-0').value),
    min: Number(document.querySelector('#sweep-lo-0').min), max: Number(document.querySelector('#sweep-hi-0').max),
  }));
  check(sform.tab && sform.key === 'intel.recruit_rate' && sform.lo === rr0.plausible.lo && sform.hi === rr0.plausible.hi &&
    sform.min === rr0.min && sform.max === rr0.max, 'sweep: a parameter picked in the table, its plausible range as the bounds, its valid range enforced', JSON.stringify(sform));
  await page.locator('#sweep-hi-0').fill('1.5');
  await page.waitForFunction(() => window.__workbench.sweepCheck && !window.__workbench.sweepCheck.ok && document.querySelector('#run-sweep').disabled);
  check(/valid range, 0 to 1/.test(await page.locator('#sweep-msg').innerText()), 'sweep: a bound outside the valid range is refused', await page.locator('#sweep-msg').innerText());
  await page.locator('#sweep-hi-0').fill(String(rr0.plausible.hi));
  await page.locator('#sweep-levels-0').fill('4');
  await page.locator('#sweep-reps').fill('50');
  await page.waitForFunction(() => window.__workbench.sweepCheck && window.__workbench.sweepCheck.ok && !document.querySelector('#run-sweep').disabled);
  await shot(page, 'sweep-form');
  const sw = await startJob(page, '#run-sweep');
  const swjob = await api('/api/jobs/' + sw.id);
  check(swjob.kind === 'sweep' && sw.done === 200 && swjob.result.points === 4 && swjob.result.rows.length === 12,
    'sweep: the job ran 4 points x 50 replications of the base and the option', JSON.stringify(sw));
  const scharts = await page.evaluate(() => window.__workbench.charts);
  const lines = scharts.filter((c) => c.kind === 'sweep-line');
  check(lines.length === 15 && lines.every((c) => c.points === 4), 'sweep: a line chart with its band per output, for the base, the option and its change, 4 points each',
    scharts.map((c) => `${c.id}:${c.points}`).join(' '));
  const sblank = await blankCharts(page, '#report');
  check(sblank.length === 0, 'sweep: every chart canvas has pixels', sblank.join(', '));
  const trows = await page.locator('#sweep-rows tbody tr').count();
  const chg = swjob.result.rows.find((w) => w.kind === 'change' && w.point === 3);
  const rowText = await page.locator('#sweep-rows tbody tr.change').last().innerText();
  check(trows === 12 && rowText.includes(String(Number(chg.outputs.balance.mean.toFixed(0)))), 'sweep: the table has every row of the API\'s result', `${trows}; ${rowText}`);
  await shot(page, 'sweep');
  const [dsw] = await Promise.all([page.waitForEvent('download'), page.locator('#dl-csv').click()]);
  const swcsv = readFileSync(await dsw.path(), 'utf8').trim().split('\n');
  check(swcsv[0].startsWith('point,intel.recruit_rate,scenario,kind,value_a,') && swcsv.length === 13, 'sweep: its rows as CSV', swcsv[0]);
  check(await page.locator('#dl-report').isHidden(), 'sweep: no HTML report offered (the API has none for a sweep)');

  // the link of the sweep restores its form and reruns it
  const slink = await page.locator('#share-url').inputValue();
  check(/[#&]v=intel\.recruit_rate%3A0\.01%3A0\.15%3A4/.test(slink) && /sr=50/.test(slink) && /d=grid/.test(slink), 'the link carries the sweep', slink);
  const page3 = await openPage(slink);
  const sform3 = await page3.evaluate(() => ({
    tab: !document.querySelector('#pane-sweep').hidden, key: document.querySelector('#sweep-key-0').value,
    lo: document.querySelector('#sweep-lo-0').value, hi: document.querySelector('#sweep-hi-0').value,
    levels: document.querySelector('#sweep-levels-0').value, reps: document.querySelector('#sweep-reps').value,
    design: document.querySelector('#sweep-design').value,
    option: document.querySelector('#options input[value="us-russia-2025-readmit-50"]').checked,
  }));
  check(sform3.tab && sform3.key === 'intel.recruit_rate' && sform3.lo === '0.01' && sform3.hi === '0.15' && sform3.levels === '4' &&
    sform3.reps === '50' && sform3.design === 'grid' && sform3.option, 'a colleague opening the sweep\'s link sees the same sweep form', JSON.stringify(sform3));
  await page3.waitForFunction(() => window.__workbench.sweepCheck && window.__workbench.sweepCheck.ok && !document.querySelector('#run-sweep').disabled);
  const sw3 = await startJob(page3, '#run-sweep');
  const swjob3 = await api('/api/jobs/' + sw3.id);
  check(JSON.stringify(swjob3.result.rows) === JSON.stringify(swjob.result.rows), 'the link reruns the same sweep: the same rows (same seed)');
  await page3.close();

  // two parameters: a heat map per scenario (and the option's change)
  await page.locator('#tab-sweep').click();
  await page.locator('#sweep-add').click();
  await page.locator('#sweep-key-1').selectOption('relations.initial');
  const rel = apiParams.find((p) => p.key === 'relations.initial');
  check(Number(await page.locator('#sweep-lo-1').inputValue()) === rel.plausible.lo && Number(await page.locator('#sweep-hi-1').inputValue()) === rel.plausible.hi,
    'sweep: a second parameter chosen in the Sweep tab, its plausible range as the bounds');
  await page.locator('#sweep-levels-0').fill('3');
  await page.locator('#sweep-levels-1').fill('3');
  await page.locator('#sweep-reps').fill('20');
  await page.waitForFunction(() => window.__workbench.sweepCheck && window.__workbench.sweepCheck.ok && !document.querySelector('#run-sweep').disabled);
  const sw2 = await startJob(page, '#run-sweep');
  const heat = (await page.evaluate(() => window.__workbench.charts)).filter((c) => c.kind === 'sweep-heat');
  const sw2rows = await page.locator('#sweep-rows tbody tr').count();
  check(sw2.done === 180 && heat.length === 3 && heat.every((c) => c.points === 9) && sw2rows === 27,
    'sweep: two parameters, 3 x 3 points: a heat map each for the base, the option and its change, and 27 rows', heat.map((c) => `${c.id}:${c.points}`).join(' '));
  await shot(page, 'sweep-2d');
  await page.locator('#tab-sweep').click();
  await page.locator('#sweep-keys tr[data-i="1"] button').click();

  // cancel a long sweep
  await page.locator('#tab-sweep').click();
  await page.locator('#sweep-levels-0').fill('20');
  await page.locator('#sweep-reps').fill('5000');
  await page.waitForFunction(() => window.__workbench.sweepCheck && window.__workbench.sweepCheck.ok && !document.querySelector('#run-sweep').disabled);
  await startJob(page, '#run-sweep', ['running']);
  await page.waitForFunction(() => window.__workbench.job.done > 0, null, { timeout: 20000 });
  const sprog = await page.locator('#status').innerText();
  await page.locator('#cancel').click();
  await page.waitForFunction(() => window.__workbench.job.status === 'cancelled', null, { timeout: 20000 });
  const scan = await page.evaluate(() => window.__workbench.job);
  check(scan.status === 'cancelled' && scan.total === 100000 && scan.done < scan.total && /of 100,000 replications \(all points\)/.test(sprog),
    'sweep: a long sweep shows its progress and stops when cancelled', `${JSON.stringify(scan)} ${sprog}`);

  // ------------------------------------------------- bad values
  await page.locator('#tab-params').click();
  await page.locator('#param-filter').fill('horizon');
  await page.locator('input[data-key="horizon"]').fill('0');
  await page.waitForFunction(() => (document.getElementById('msg-horizon') || {}).textContent, null, { timeout: 5000 });
  const msg = await page.locator('[id="msg-horizon"]').innerText();
  const runDisabled = await page.locator('#run').isDisabled();
  // the message is the loader's own: the same as the API's
  const loader = await (await fetch(base + '/api/check', { method: 'POST', headers: { Authorization: 'Bearer ' + TOKEN, 'Content-Type': 'application/json' },
    body: JSON.stringify({ scenario: 'us-russia-2025', set: { horizon: '0' } }) })).json();
  check(loader.messages && loader.messages[0].text === 'set: horizon: ' + msg && /expected an integer in \[1, 600\], found 0/.test(msg) && runDisabled,
    'a bad value in the form shows the loader\'s message next to it', msg);
  await shot(page, 'bad-value');
  await page.locator('tr[data-key="horizon"] button.reset').click();
  await page.waitForFunction(() => window.__workbench.check && window.__workbench.check.ok);
  check(!(await page.locator('#run').isDisabled()), 'the value reset: the run is possible again');

  await page.locator('#tab-yaml').click();
  await page.locator('#yaml').fill('base: us-russia-2025\nstates:\n  b:\n    openness: 1.7\n');
  await page.waitForFunction(() => document.querySelectorAll('#yaml-msgs li').length > 0, null, { timeout: 5000 });
  const ym = await page.locator('#yaml-msgs li').first().innerText();
  check(/^4:15 states\.b\.openness: expected/.test(ym), 'the YAML editor shows the loader\'s line:col message as you type', ym);
  await shot(page, 'yaml');
  await page.locator('#yaml').fill('base: us-russia-2025\nstates:\n  b:\n    openness: 0.4\n');
  await page.waitForFunction(() => /valid/.test(document.querySelector('#yaml-status').textContent), null, { timeout: 5000 });
  check(true, 'the corrected YAML is valid');
  // run the scenario written in the editor
  await page.locator('#use-yaml').check();
  await page.waitForFunction(() => window.__workbench.check && window.__workbench.check.ok && !document.querySelector('#run').disabled);
  const yrun = await startJob(page, '#run');
  const ydata = await api(`/api/jobs/${yrun.id}/report?format=json`);
  const open = ydata.variants[0].params.find((p) => p.key === 'states.b.openness');
  check(yrun.status === 'done' && open && Number(open.value) === 0.4, 'a scenario written in the YAML tab runs', JSON.stringify(open));
  await page.locator('#use-yaml').uncheck();

  // -------------------------------------------------------- timeline
  await page.locator('#tab-timeline').click();
  await page.waitForFunction(() => window.__workbench.timeline, null, { timeout: 10000 });
  const tl = await page.evaluate(() => window.__workbench.timeline);
  const hist = await api('/api/history?pair=USA-Russia');
  const rows = await page.locator('table.events tbody tr').count();
  check(tl.events === hist.events.length && rows === hist.events.length && rows > 20, 'timeline: every recorded event of the pair', `${rows} rows, ${hist.events.length} events`);
  const tblank = await blankCharts(page, '#timeline');
  check(tblank.length === 0, 'timeline: the chart has pixels', tblank.join(', '));
  await shot(page, 'timeline');

  // ------------------------------------------------------------ jobs
  await page.locator('#tab-jobs').click();
  await page.waitForFunction(() => document.querySelector('#stored-runs'), null, { timeout: 5000 });
  const jobRows = await page.locator('#jobs table.jobs').first().locator('tbody tr').count();
  const apiJobs = (await api('/api/jobs')).jobs.length;
  const stored = await page.locator('#stored-runs tbody').innerText();
  check(jobRows === apiJobs && jobRows >= 4 && /stored-demo/.test(stored), 'jobs: the server\'s jobs and the stored runs of --db', `${jobRows} vs ${apiJobs}; ${stored}`);
  await shot(page, 'jobs');
  // a stored run's Report button downloads the page `legation report ID` writes
  const [dsr] = await Promise.all([page.waitForEvent('download'), page.locator('#stored-runs [data-run-report="1"]').click()]);
  const storedHtml = readFileSync(await dsr.path(), 'utf8');
  execFileSync(bin, ['report', '1', '--db', 'w.db', '-o', 'stored-1.html'], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
  check(storedHtml === readFileSync(join(work, 'stored-1.html'), 'utf8') && storedHtml.includes('id="legation-data"') &&
    dsr.suggestedFilename() === 'legation-run-1-us-russia-2025.html', 'jobs: a stored run\'s Report downloads its HTML report (as legation report ID)', dsr.suggestedFilename());

  await page.locator('#tab-params').click();
  await page.locator('#param-filter').fill('');
  await shot(page, 'params');


  // ---------------------- a job interrupted by kill -9, resumed on the page
  // a second server on its own store, without a token; killed mid-job and
  // started again on the same store: the job is listed as interrupted and
  // the Resume button finishes it from its last checkpoint
  execFileSync(bin, ['run', '--reps', '5', '--db', 'r.db', '--quiet'], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
  let s2 = await startServer(['serve', '--port', '0', '--jobs', '1', '--db', 'r.db']);
  servers.push(s2);
  const api2 = async (path, opts) => (await fetch(s2.base + path, opts)).json();
  const rjob0 = await api2('/api/jobs', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ scenario: 'us-russia-2025', options: ['us-russia-2025-readmit-50'], reps: 6000, seed: 3 }) });
  const tk = Date.now();
  let before;
  for (;;) { // past its first checkpoint (every second), not finished
    await new Promise((r) => setTimeout(r, 100));
    before = await api2('/api/jobs/' + rjob0.id);
    if ((Date.now() - tk > 1500 && before.done > 0) || before.status === 'done') break;
  }
  s2.proc.kill('SIGKILL');
  await new Promise((r) => (s2.proc.exitCode !== null || s2.proc.signalCode ? r() : s2.proc.on('exit', r)));
  check(before.status === 'running' && before.done < before.total, 'resume: the server killed with SIGKILL mid-job', JSON.stringify(before));
  s2 = await startServer(['serve', '--port', '0', '--jobs', '1', '--db', 'r.db']);
  servers.push(s2);
  const listed = (await api2('/api/jobs')).jobs.find((j) => j.id === rjob0.id);
  check(listed && listed.status === 'interrupted', 'resume: the restarted server lists the job as interrupted', JSON.stringify(listed));
  const page4 = await openPage(s2.base + '/', s2.base, null);
  await page4.locator('#tab-jobs').click();
  await page4.waitForSelector(`button[data-resume="${rjob0.id}"]`, { timeout: 5000 });
  const jtext = await page4.locator(`#job-list tr[data-job="${rjob0.id}"]`).innerText();
  check(/interrupted/.test(jtext), 'resume: the Jobs tab shows the interrupted job with a Resume button', jtext);
  await shot(page4, 'interrupted');
  await page4.locator(`button[data-resume="${rjob0.id}"]`).click();
  await page4.waitForFunction((id) => {
    const w = window.__workbench;
    return w.job && w.job.id === id && w.job.status === 'done' && w.shown === id;
  }, rjob0.id, { timeout: 180000 }); // generous: 6000 replications take minutes under ASan
  const after = await api2('/api/jobs/' + rjob0.id);
  const rcharts = await page4.evaluate(() => window.__workbench.charts);
  check(after.status === 'done' && after.result.reps === 6000 && after.run_id === before.run_id && rcharts.some((c) => c.id === 'change-balance' && c.points > 0),
    'resume: the Resume button finishes the job (its stored run, every replication) and the page draws its result', `${after.status} ${after.result && after.result.reps} run ${after.run_id}/${before.run_id}`);
  await shot(page4, 'resumed');
  await page4.close();

  check(errors.length === 0, 'no console error (no CSP violation)', errors.join(' | '));
  check(foreign.length === 0, 'no request to another origin', foreign.join(', '));
} catch (e) {
  check(false, 'the test ran to its end', e.stack || String(e));
} finally {
  await context.close();
  server.kill('SIGTERM');
  await new Promise((r) => (server.exitCode !== null ? r() : server.on('exit', r)));
  check(server.exitCode === 0 && main.err() === '', 'the server stopped cleanly and said nothing on stderr', `${server.exitCode} ${main.err()}`);
  for (const s of servers) if (s.proc.exitCode === null && !s.proc.signalCode) s.proc.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
