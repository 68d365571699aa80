// SPDX-License-Identifier: GPL-3.0-or-later
// report-page.js - the script of an HTML report (bundled into
// dist/legation-report.js, pasted into the page by cli/report.c): adds the
// charts' and the page's style, reads the JSON data block and draws it with
// report.js.  The page works from file:// with no network.  When it is done
// it sets window.__legationCharts = [{id, kind, points}] (points: finite
// values drawn), window.__legationAxisLabels and
// document.body.dataset.rendered = "1" for the browser test.
import uplotCss from 'uplot/dist/uPlot.min.css';
import pageCss from './report.css';
import { renderReport, axisLabelsDrawn } from './report.js';

function start() {
  const style = document.createElement('style');
  style.textContent = uplotCss + '\n' + pageCss;
  document.head.appendChild(style);
  const root = document.getElementById('legation-report') || document.body;
  let charts = [];
  try {
    const data = JSON.parse(document.getElementById('legation-data').textContent);
    charts = renderReport(data, root);
  } catch (e) {
    const pre = document.createElement('pre');
    pre.className = 'warn';
    pre.textContent = 'This report could not be drawn: ' + (e && e.stack ? e.stack : e);
    root.appendChild(pre);
    console.error(e);
  }
  window.__legationCharts = charts;
  window.__legationAxisLabels = axisLabelsDrawn();
  document.body.dataset.rendered = '1';
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
