// The CLI as one function: parse arguments, run one command, map failures to exit codes
// (exit-codes.ts). main.ts runs it from tsc's output; the shipped bin runs it from the code-cached
// bundle (launch.ts, bundle-loader.ts).

import { LensError, formatLensError } from '../core/errors.js';
import { sanitizeLines } from '../core/sanitize.js';
import { VERSION } from '../version.js';
import { parseCli, UsageError } from './args.js';
import { EXIT } from './exit-codes.js';
import { HELP } from './help.js';

async function main(argv: string[]): Promise<number> {
  const args = parseCli(argv);
  if (args.version) {
    process.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (args.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  switch (args.command) {
    case 'analyze':
      return (await import('./analyze-command.js')).runAnalyze(args);
    case 'events':
      return (await import('./events-command.js')).runEvents(args);
    case 'grammars':
      return (await import('./grammars-command.js')).runGrammars(args);
    case 'tail':
      return (await import('./tail-command.js')).runTail(args);
  }
}

function report(err: unknown): number {
  // Messages may carry file names and log text: every line is sanitised before it reaches a terminal.
  if (err instanceof UsageError) {
    process.stderr.write(`catalina-lens: ${sanitizeLines(err.message)}\nTry 'catalina-lens --help'.\n`);
    return EXIT.usage;
  }
  if (err instanceof LensError) {
    // An input that cannot be read is one line: `catalina-lens: FILE: reason`.
    if (err.code === 'INPUT_NOT_FOUND' || err.code === 'INPUT_UNREADABLE') {
      process.stderr.write(`catalina-lens: ${sanitizeLines(err.message)}\n`);
      return EXIT.input;
    }
    process.stderr.write(`${sanitizeLines(formatLensError(err))}\n`);
    return err.code.startsWith('GRAMMAR_') || err.code === 'INVALID_OPTION' ? EXIT.usage : EXIT.input;
  }
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`catalina-lens: internal error: ${sanitizeLines(text)}\n`);
  return EXIT.input;
}

/** Runs one command line (without `node` and the script) to its exit code; never rejects. */
export function runCli(argv: string[]): Promise<number> {
  return main(argv).catch(report);
}
