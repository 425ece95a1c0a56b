#!/usr/bin/env node
// The shipped bin, dist/cli/main.cjs: runs the CLI from its code-cached bundle (bundle-loader.ts).
// CommonJS, as the bundle: an ES module entry costs Node ~10 ms more to start (its module loader).
// Node 20 maps no stack trace of a vm script to its source, so under `--enable-source-maps` it runs
// tsc's unbundled modules beside it instead (dist/cli/run.js), whose maps point into src/.
import { sanitizeForTerminal } from '../core/sanitize.js';
import { loadCliBundle, type CliBundle } from './bundle-loader.js';
import { EXIT } from './exit-codes.js';
import { startCli } from './start.js';

function bundle(): CliBundle | undefined {
  try {
    return loadCliBundle();
  } catch (err) {
    // A build cut short (tsc without scripts/bundle-cli.mjs): one line, not a stack trace. The
    // message holds a path of the install: sanitised to one clean line, as run.ts does every error line.
    const reason = sanitizeForTerminal(err instanceof Error ? err.message : String(err));
    process.stderr.write(`catalina-lens: cannot load the CLI's bundle (${reason}); run 'npm run build'\n`);
    process.exitCode = EXIT.input;
    return undefined;
  }
}

if (process.sourceMapsEnabled) void import('./run.js').then((m) => startCli(m.runCli));
else {
  const loaded = bundle();
  if (loaded) startCli(loaded.runCli);
}
