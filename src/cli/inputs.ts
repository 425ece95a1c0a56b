// Where a command's input comes from when no PATH is given: piped stdin, or the bundled samples.

import { fstatSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sanitizeForTerminal } from '../core/sanitize.js';
import { PACKAGE } from '../package-root.js';
import type { CliArgs } from './args.js';
import type { ReadOptions } from '../pipeline/options.js';

export const SAMPLES_DIR = join(PACKAGE.root, 'samples');

/** True when stdin is a pipe or a redirected file (not a terminal, not /dev/null, not closed). */
export function stdinHasData(): boolean {
  try {
    const info = fstatSync(0);
    return info.isFIFO() || info.isFile() || info.isSocket();
  } catch {
    return false;
  }
}

export function pathsOrDefault(args: CliArgs): string[] {
  if (args.paths.length > 0) return args.paths;
  if (stdinHasData()) return ['-'];
  // Relative to where the user stands, so evidence reads `samples/tomcat2/catalina.out:46`.
  const rel = relative(process.cwd(), SAMPLES_DIR);
  return [rel.length < SAMPLES_DIR.length ? rel : SAMPLES_DIR];
}

export function readOptions(args: CliArgs): ReadOptions {
  return {
    nodes: args.nodes,
    tz: args.tz,
    since: args.since,
    until: args.until,
    grammars: args.grammars,
    logFormat: args.logFormat,
    dateOrder: args.dateOrder,
    encoding: args.encoding,
    all: args.all,
  };
}

/** Colour only on a terminal, never with NO_COLOR, unless forced either way by a flag. */
export function useColor(args: CliArgs, stream: NodeJS.WriteStream): boolean {
  if (args.color !== undefined) return args.color;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

/** One line per unreadable input on stderr: `catalina-lens: FILE: reason`, sanitised (file names are untrusted too). */
export function reportInputErrors(errors: { message: string }[]): void {
  for (const e of errors) process.stderr.write(`${inputErrorLine(e)}\n`);
}

export function inputErrorLine(e: { message: string }): string {
  return `catalina-lens: ${sanitizeForTerminal(e.message.replace(/\r?\n/g, ' '))}`;
}
