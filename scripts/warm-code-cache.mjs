// Writes dist/cli/catalina-lens.cjs.cache (src/cli/bundle-loader.ts says what it is): loads the
// bundle, runs each command the way a user would over the bundled samples, so that V8 compiles the
// functions a run needs, then saves V8's cache of them. scripts/bundle-cli.mjs runs it in its own
// process with stdout discarded.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE_FILE, loadCliBundle } from '../dist/cli/bundle-loader.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const samples = join(root, 'samples');
const runs = [
  ['--version'],
  ['--help'],
  ['analyze', '--json', samples],
  ['analyze', '--text', '--no-color', samples],
  ['analyze', '--csv', samples],
  ['events', samples],
  ['grammars'],
];

const bundle = loadCliBundle(join(root, 'dist', 'cli'));
for (const argv of runs) {
  const code = await bundle.runCli(argv);
  if (code !== 0) throw new Error(`warm-code-cache: 'catalina-lens ${argv.join(' ')}' exited ${code}`);
}
const file = join(root, 'dist', 'cli', CACHE_FILE);
writeFileSync(`${file}.tmp`, bundle.createCache());
renameSync(`${file}.tmp`, file);
