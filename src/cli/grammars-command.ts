import { formatLensError } from '../core/errors.js';
import { sanitizeForTerminal, sanitizeLines } from '../core/sanitize.js';
import { testGrammars } from '../io/grammar-files.js';
import type { CliArgs } from './args.js';
import { EXIT } from './exit-codes.js';
import { loadGrammarsSync } from '../io/grammar-files.js';
import { relative } from 'node:path';

export async function runGrammars(args: CliArgs): Promise<number> {
  if (args.test) {
    const { grammars, samples, errors } = testGrammars(args.grammars, { checkSafety: true });
    // Grammar files are user input too: every line is sanitised before it reaches a terminal, as in run.ts.
    for (const err of errors) process.stderr.write(`${sanitizeLines(formatLensError(err))}\n\n`);
    const count = grammars.formats.length + grammars.events.length;
    process.stdout.write(`${count} grammars, ${samples} samples: ${errors.length === 0 ? 'all pass' : `${errors.length} problems`}\n`);
    return errors.length === 0 ? EXIT.ok : EXIT.usage;
  }
  const { formats, events } = loadGrammarsSync(args.grammars);
  const rel = (f: string): string => sanitizeForTerminal(relative(process.cwd(), f) || f);
  const lines = ['line formats:'];
  for (const f of formats) lines.push(`  ${f.name.padEnd(20)} ${sanitizeForTerminal(f.title).padEnd(52)} ${f.patterns.length} patterns, ${f.samples.length} samples  ${rel(f.file)}`);
  lines.push('event grammars:');
  for (const g of events) {
    const types = new Set(g.templates.map((t) => t.type)).size;
    lines.push(`  ${g.stem.padEnd(24)} ${g.templates.length} templates, ${types} event types, ${g.samples.length} samples  ${rel(g.file)}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}
