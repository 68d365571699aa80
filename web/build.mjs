// SPDX-License-Identifier: GPL-3.0-or-later
// build.mjs - bundle the report's chart script (src/report.js with uPlot and
// its CSS) into ONE minified file, dist/legation-report.js, that the legation
// binary embeds (CMake turns it into a C array).  The bundle is committed so
// that building legation needs no Node; `make web` rebuilds it and
// `node build.mjs --check` (a ctest test) fails when it is stale.
//
//   node build.mjs          write dist/legation-report.js
//   node build.mjs --check  exit 1 if dist/legation-report.js differs
import { build } from 'esbuild';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'dist', 'legation-report.js');

// uPlot's MIT notice is a plain /** comment that minifying drops: keep it.
const uplot = JSON.parse(readFileSync(join(here, 'node_modules', 'uplot', 'package.json'), 'utf8'));
const banner = `/*! Legation report charts (GPL-3.0-or-later). Bundles uPlot ${uplot.version}, ` +
  `https://github.com/leeoniya/uPlot, Copyright (c) Leon Sorokin, MIT License. */`;

const result = await build({
  banner: { js: banner },
  entryPoints: [join(here, 'src', 'report.js')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2019'],
  charset: 'utf8',
  legalComments: 'inline', // keeps uPlot's MIT notice
  loader: { '.css': 'text' },
  write: false,
  logLevel: 'warning',
});
const text = result.outputFiles[0].text;

// The script is pasted into a <script> element: these would end it early.
for (const bad of ['</script', '<!--', '<script']) {
  if (text.toLowerCase().includes(bad)) {
    console.error(`build.mjs: the bundle contains '${bad}', which cannot go inside <script>`);
    process.exit(1);
  }
}

if (process.argv.includes('--check')) {
  let old = '';
  try {
    old = readFileSync(out, 'utf8');
  } catch (e) {
    console.error(`build.mjs: ${out}: ${e.message}; run 'make web'`);
    process.exit(1);
  }
  if (old !== text) {
    console.error(`build.mjs: ${out} is stale (web/src changed); run 'make web' and commit it`);
    process.exit(1);
  }
  console.log(`build.mjs: ${out} is up to date (${text.length} bytes)`);
} else {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  console.log(`build.mjs: wrote ${out} (${text.length} bytes)`);
}
