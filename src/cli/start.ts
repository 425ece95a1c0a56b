// What every entry point of the CLI does around runCli: a closed pipe is not an error, and the exit
// code is set (not forced with process.exit) so that pending output is written first.

import { EXIT } from './exit-codes.js';

export function startCli(run: (argv: string[]) => Promise<number>): void {
  // `catalina-lens events | head`: the reader went away; stop quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(EXIT.ok);
    throw err;
  });
  void run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
