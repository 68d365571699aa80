// SPDX-License-Identifier: GPL-3.0-or-later
// build.mjs - bundle the report's chart script (src/report-page.js with
// report.js, uPlot and their CSS) into ONE minified file,
// dist/legation-report.js, and the web workbench of `legation serve`
// (src/workbench.{js,css,html}, drawing with the same report.js and uPlot)
// into dist/workbench.{js,css,html}; the legation binary embeds them (CMake
// turns each into a C array).  The
// bundles are committed so that building legation needs no Node; `make web`
// rebuilds them and `node build.mjs --check` (a ctest test) fails when one
// is stale.
//
//   node build.mjs          write dist/
//   node build.mjs --check  exit 1 if a file of dist/ differs
import { build } from 'esbuild';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');

// uPlot's MIT notice is a plain /** comment that minifying drops: keep it.
const uplot = JSON.parse(readFileSync(join(here, 'node_modules', 'uplot', 'package.json'), 'utf8'));
const notice = `Bundles uPlot ${uplot.version}, ` +
  `https://github.com/leeoniya/uPlot, Copyright (c) Leon Sorokin, MIT License.`;

async function bundle(entry, extra) {
  const result = await build({
    entryPoints: [join(here, 'src', entry)],
    bundle: true,
    minify: true,
    target: ['es2019'],
    charset: 'utf8',
    legalComments: 'inline', // keeps uPlot's MIT notice
    write: false,
    logLevel: 'warning',
    ...extra,
  });
  return result.outputFiles[0].text;
}

// The report's script is pasted into a <script> element: these would end it early.
const report = await bundle('report-page.js', {
  banner: { js: `/*! Legation report charts (GPL-3.0-or-later). ${notice} */` },
  format: 'iife',
  loader: { '.css': 'text' },
});
for (const bad of ['</script', '<!--', '<script']) {
  if (report.toLowerCase().includes(bad)) {
    console.error(`build.mjs: the bundle contains '${bad}', which cannot go inside <script>`);
    process.exit(1);
  }
}

// The workbench (`legation serve` at /): its own files, no inline code.
const outputs = {
  'legation-report.js': report,
  'workbench.js': await bundle('workbench.js', {
    banner: { js: `/*! Legation workbench (GPL-3.0-or-later). ${notice} */` },
    format: 'iife',
  }),
  'workbench.css': await bundle('workbench.css', {
    banner: { css: `/*! Legation workbench (GPL-3.0-or-later). ${notice} */` },
  }),
  'workbench.html': readFileSync(join(here, 'src', 'workbench.html'), 'utf8'),
};

if (process.argv.includes('--check')) {
  let stale = 0;
  for (const [name, text] of Object.entries(outputs)) {
    const out = join(dist, name);
    let old = '';
    try {
      old = readFileSync(out, 'utf8');
    } catch (e) {
      console.error(`build.mjs: ${out}: ${e.message}; run 'make web'`);
      stale++;
      continue;
    }
    if (old !== text) {
      console.error(`build.mjs: ${out} is stale (web/src changed); run 'make web' and commit it`);
      stale++;
    } else {
      console.log(`build.mjs: ${out} is up to date (${text.length} bytes)`);
    }
  }
  process.exit(stale ? 1 : 0);
} else {
  mkdirSync(dist, { recursive: true });
  for (const [name, text] of Object.entries(outputs)) {
    writeFileSync(join(dist, name), text);
    console.log(`build.mjs: wrote ${join(dist, name)} (${text.length} bytes)`);
  }
}
