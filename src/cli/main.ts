#!/usr/bin/env node
// catalina-lens entry point as tsc compiles it (dist/cli/main.js before the build bundles it, and
// `tsx src/cli/main.ts`). The shipped bin is launch.ts, which runs the same runCli from a bundle.

import { runCli } from './run.js';
import { startCli } from './start.js';

startCli(runCli);
