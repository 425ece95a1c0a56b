// Command-line options of the benchmark scripts: node:util's parseArgs, with --help and a one-line
// error (a mistyped option printed parseArgs' stack trace before).

import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The options' values; prints `usage` and exits 0 on --help, or the problem and `usage` and exits 2. */
export function benchArgs<const O extends Options>(options: O, usage: string): ReturnType<typeof parseArgs<{ options: O; strict: true }>>['values'] {
  if (process.argv.slice(2).includes('--help')) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  try {
    return parseArgs({ options, strict: true }).values;
  } catch (err) {
    usageError(err instanceof Error ? err.message : String(err), usage);
  }
}

/** One line saying what is wrong, then `usage`; exits 2. */
export function usageError(problem: string, usage: string): never {
  process.stderr.write(`${problem}\n${usage}\n`);
  process.exit(2);
}
