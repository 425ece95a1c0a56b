// Bundles the CLI for start-up; run after `tsc -p tsconfig.build.json`. What lands in dist/cli/:
//
// - catalina-lens.cjs: the whole CLI but the dashboard (src/cli/run.ts and all it imports), one
//   CommonJS file, first line `// catalina-lens bundle <sha256 of the rest>`. Loading ~40 ES modules
//   cost ~50 ms of resolving and compiling at every start.
// - catalina-lens.cjs.cache: V8's code cache of that bundle after running its commands once over
//   samples/ (scripts/warm-code-cache.mjs): a start deserialises what those runs compiled.
// - main.cjs (the bin): src/cli/launch.ts, which loads the two through src/cli/bundle-loader.ts
//   (it says why a vm script and how a cache is matched to its bundle). tsc's main.js beside it is
//   the same CLI unbundled.
// - parse-worker.cjs and scan-worker.cjs: the worker threads, one CommonJS file each, started by URL
//   beside the bundle (start-worker.ts). A worker of an ES module starts Node's module loader in its
//   thread too: the scan thread was ready ~12 ms later (15 starts each, medians 57 and 55 against
//   45 and 41 ms; an empty CommonJS worker takes 42).
// - run-dashboard.js: an ES module, imported only by the commands that show the dashboard (ink,
//   react).
//
// npm dependencies stay external: they are installed beside the package. The library (dist/index.js
// and the rest of dist/) stays tsc's output, unbundled.
//
// `--metafile FILE` writes esbuild's metafile of the CommonJS bundle (which module went where).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_FILE, BUNDLE_ID_PREFIX, CACHE_FILE } from '../dist/cli/bundle-loader.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'dist', 'cli');
const DASHBOARD = 'run-dashboard.js';
// Chunks of an earlier build have other hashes, and an old cache belongs to an old bundle.
// The workers were ES modules beside it until the build made them CommonJS.
const STALE = /^(chunk-[A-Z0-9]+|parse-worker|scan-worker)\.js(\.map)?$/;
for (const name of readdirSync(outdir)) if (STALE.test(name) || name === CACHE_FILE) rmSync(join(outdir, name));

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // Linked maps cost nothing at run time unless `node --enable-source-maps` asks for them.
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
};

// The dashboard: an ES module (ink and react are).
await build({ ...common, entryPoints: ['src/ui/run-dashboard.tsx'], outfile: join(outdir, DASHBOARD), format: 'esm' });

// A CommonJS file run by Node itself (the bin, the workers): import.meta.url is its own URL.
const ownUrl = {
  format: 'cjs',
  banner: { js: '"use strict";\nconst __ownUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__ownUrl' },
};

// The workers.
for (const name of ['parse-worker', 'scan-worker']) {
  await build({ ...common, ...ownUrl, entryPoints: [`src/pipeline/${name}.ts`], outfile: join(outdir, `${name}.cjs`) });
}

// The launcher. Its `import('./run.js')` (for --enable-source-maps) is tsc's output beside it.
const tscRunOutside = {
  name: 'tsc-run-outside',
  setup(b) {
    b.onResolve({ filter: /^\.\/run\.js$/ }, () => ({ path: './run.js', external: true }));
  },
};
await build({ ...common, ...ownUrl, entryPoints: ['src/cli/launch.ts'], outfile: join(outdir, 'main.cjs'), plugins: [tscRunOutside] });

// The CommonJS bundle. The dashboard stays out (its ES module above); every dynamic import left is
// of a module outside the bundle and becomes `__lensImport(...)`, the loader's import().
const dashboardOutside = {
  name: 'dashboard-outside',
  setup(b) {
    b.onResolve({ filter: /\/ui\/run-dashboard\.js$/ }, () => ({ path: `./${DASHBOARD}`, external: true }));
  },
};
// @date-fns/tz's small tzOffset goes into the bundle: finding it in node_modules (package exports)
// took longer at start than the module itself.
const tzOffsetInside = {
  name: 'tz-offset-inside',
  setup(b) {
    b.onResolve({ filter: /^@date-fns\/tz\/tzOffset$/ }, ({ path, resolveDir }) => ({ path: createRequire(join(resolveDir, 'x.js')).resolve(path) }));
  },
};
const result = await build({
  ...common,
  entryPoints: ['src/cli/run.ts'],
  write: false,
  outfile: join(outdir, BUNDLE_FILE),
  format: 'cjs',
  define: { 'import.meta.url': '__lensUrl' },
  plugins: [dashboardOutside, tzOffsetInside],
  metafile: true,
});
const output = (ext) => result.outputFiles.find((f) => f.path.endsWith(ext));
let code = output('.cjs').text;
const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports);
for (const path of new Set(imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path))) {
  const call = `import(${JSON.stringify(path)})`;
  if (!code.includes(call)) throw new Error(`bundle-cli: cannot find ${call} in the bundle`);
  code = code.split(call).join(`__lensImport(${JSON.stringify(path)})`);
}
const left = code.match(/\bimport\(\s*["'`]|\bimport\.meta\b/);
if (left) throw new Error(`bundle-cli: the bundle still has '${left[0]}', which a vm script cannot run`);
const id = createHash('sha256').update(code).digest('hex');
writeFileSync(join(outdir, BUNDLE_FILE), `${BUNDLE_ID_PREFIX}${id}\n${code}`);
// The id line comes first: the map's lines move down one.
const map = JSON.parse(output('.map').text);
writeFileSync(join(outdir, `${BUNDLE_FILE}.map`), JSON.stringify({ ...map, mappings: `;${map.mappings}` }));

// The code cache, made by a separate process so that no flag of this one is part of it.
const warm = spawnSync(process.execPath, [join(root, 'scripts/warm-code-cache.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (warm.status !== 0) throw new Error(`bundle-cli: scripts/warm-code-cache.mjs failed (exit ${warm.status})`);

const i = process.argv.indexOf('--metafile');
if (i > 0) writeFileSync(process.argv[i + 1], JSON.stringify(result.metafile, null, 1));
