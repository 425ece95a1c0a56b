#!/usr/bin/env node
// catalina-lens entry point unbundled: tsc's dist/cli/main.js, and `tsx src/cli/main.ts`. The shipped
// bin is dist/cli/main.cjs (launch.ts), which runs the same runCli from the code-cached bundle.

import { runCli } from './run.js';
import { startCli } from './start.js';

startCli(runCli);
