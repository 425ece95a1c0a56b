// Bundles the CLI for start-up: run after `tsc -p tsconfig.build.json`, it overwrites tsc's
// dist/cli/main.js with the bundle. Loading ~40 separate ES modules cost ~50 ms of resolving and
// compiling at every start; the bundle is one module for `--version` and a handful for `analyze`.
//
// - Code splitting: what main.ts imports dynamically (each command, the renderers, the dashboard)
//   stays in chunks loaded only when used, so ink and react load only for the dashboard.
// - npm dependencies stay external: they are installed beside the package.
// - The parse worker and the scan worker are entries too. Entries and chunks all land flat in
//   dist/cli/, so start-worker.ts's `new URL('./parse-worker.js', import.meta.url)` finds the bundled
//   worker from whichever chunk it ends up in, as it finds dist/pipeline/parse-worker.js in tsc's output.
// - The library (dist/index.js and the rest of dist/) stays tsc's output, unbundled.
//
// `--metafile FILE` writes esbuild's metafile (which module went where) for inspection.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'dist', 'cli');
const CHUNK = /^chunk-[A-Z0-9]+\.js(\.map)?$/;

// Chunks of an earlier build have other hashes: remove them so that dist/ holds one build.
for (const name of readdirSync(outdir)) if (CHUNK.test(name)) rmSync(join(outdir, name));

const result = await build({
  absWorkingDir: root,
  entryPoints: [
    { in: 'src/cli/main.ts', out: 'main' },
    { in: 'src/pipeline/parse-worker.ts', out: 'parse-worker' },
    { in: 'src/pipeline/scan-worker.ts', out: 'scan-worker' },
  ],
  outdir,
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // Linked maps cost nothing at run time unless `node --enable-source-maps` asks for them.
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: process.argv.includes('--metafile'),
});

const i = process.argv.indexOf('--metafile');
if (i > 0) writeFileSync(process.argv[i + 1], JSON.stringify(result.metafile, null, 1));
