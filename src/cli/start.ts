// What every entry point of the CLI does around runCli: a closed pipe is not an error, and once the
// command is done the process exits as soon as its output is written.

import { EXIT } from './exit-codes.js';

export function startCli(run: (argv: string[]) => Promise<number>): void {
  // `catalina-lens events | head`: the reader went away; stop quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(EXIT.ok);
    throw err;
  });
  void run(process.argv.slice(2)).then(exitWhenWritten);
}

/**
 * Exits once everything written to stdout and stderr is out (a write's callback comes after the
 * writes before it), rather than when the event loop has drained: that wait is the scan thread's
 * teardown, file handles closing and the heap's, ~15-20 ms of a 1 GiB `analyze --json` for nothing.
 */
function exitWhenWritten(code: number): void {
  let pending = 2;
  const written = (): void => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', written);
  process.stderr.write('', written);
}
