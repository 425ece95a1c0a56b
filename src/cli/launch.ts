#!/usr/bin/env node
// The shipped bin, dist/cli/main.cjs: runs the CLI from its code-cached bundle (bundle-loader.ts).
// CommonJS, as the bundle: an ES module entry costs Node ~10 ms more to start (its module loader).
// Node 20 maps no stack trace of a vm script to its source, so under `--enable-source-maps` it runs
// tsc's unbundled modules beside it instead (dist/cli/run.js), whose maps point into src/.
import { loadCliBundle } from './bundle-loader.js';
import { startCli } from './start.js';

if (process.sourceMapsEnabled) void import('./run.js').then((m) => startCli(m.runCli));
else startCli(loadCliBundle().runCli);
