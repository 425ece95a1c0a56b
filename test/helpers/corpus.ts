// Paths into the shared corpus of real Tomcat logs, and a reader for its INDEX.md count tables.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const CORPUS = join(import.meta.dirname, '../../../shared/corpus');
export const PUBLIC = join(CORPUS, 'public');

export interface ScenarioCounts {
  scenario: string;
  nodes: string[];
  /** kind → node → number of matching lines in that node's catalina.out. */
  counts: Record<string, Record<string, number>>;
}

/** The per-scenario "kind | tomcat1 | tomcat2 …" tables of INDEX.md. */
export function readIndexCounts(): ScenarioCounts[] {
  const text = readFileSync(join(CORPUS, 'INDEX.md'), 'utf8');
  const out: ScenarioCounts[] = [];
  for (const section of text.split(/^## /m).slice(1)) {
    const scenario = section.slice(0, section.indexOf('\n')).trim();
    const header = /^\| kind \|((?: tomcat\d+ \|)+) first example/m.exec(section);
    if (!header) continue;
    const nodes = header[1].split('|').map((s) => s.trim()).filter(Boolean);
    const counts: Record<string, Record<string, number>> = {};
    const rows = section.slice(header.index).split('\n').slice(2);
    for (const row of rows) {
      if (!row.startsWith('| ')) break;
      const cells = row.split('|').map((s) => s.trim());
      const kind = cells[1];
      counts[kind] = {};
      nodes.forEach((n, i) => (counts[kind][n] = Number(cells[2 + i])));
    }
    out.push({ scenario, nodes, counts });
  }
  return out;
}

/** Every catalina.out and catalina.*.log of the corpus, and every public/*.log, in path order. */
export function corpusLogFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/^catalina\.(out|.*\.log)$/.test(name) || (dir === PUBLIC && name.endsWith('.log'))) out.push(p);
    }
  };
  walk(CORPUS);
  return out;
}

export function scenarioDirs(): string[] {
  return readdirSync(CORPUS)
    .filter((d) => d !== 'public' && statSync(join(CORPUS, d)).isDirectory())
    .sort();
}

/** Lines as `wc -l` would count them, plus one for an unterminated last line. */
export function physicalLines(path: string): number {
  const buf = readFileSync(path);
  let n = 0;
  for (const b of buf) if (b === 0x0a) n++;
  return buf.length > 0 && buf[buf.length - 1] !== 0x0a ? n + 1 : n;
}
