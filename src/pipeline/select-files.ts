// Tomcat writes every record both to catalina.out (console handler) and to the dated
// catalina.YYYY-MM-DD.log (file handler), often in different formats. When a node has both, the
// overlap is detected from the events themselves (the same messages in the same order of types),
// never from the names alone, and only one copy is used.

import type { ParsedFile } from './parse-file.js';

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface NodeFiles {
  node: string;
  used: ParsedFile[];
  skipped: SkippedFile[];
}

/** Share of the smaller side's events found on the other side above which the two are copies. */
const OVERLAP_SHARE = 0.8;

export function selectNodeFiles(parsed: ParsedFile[]): NodeFiles[] {
  const byNode = new Map<string, ParsedFile[]>();
  for (const p of parsed) {
    const list = byNode.get(p.input.node) ?? [];
    list.push(p);
    byNode.set(p.input.node, list);
  }
  return [...byNode].map(([node, files]) => selectForNode(node, files));
}

function selectForNode(node: string, files: ParsedFile[]): NodeFiles {
  const consoleFiles = files.filter((f) => f.input.kind === 'console');
  const datedFiles = files.filter((f) => f.input.kind === 'dated');
  if (consoleFiles.length === 0 || datedFiles.length === 0) return { node, used: files, skipped: [] };
  const share = overlapShare(consoleFiles, datedFiles);
  if (share < OVERLAP_SHARE) return { node, used: files, skipped: [] };
  const [keep, drop] = prefer(consoleFiles, datedFiles);
  const keptNames = keep.map((f) => f.input.path).join(', ');
  const pct = Math.round(share * 100);
  return {
    node,
    used: files.filter((f) => !drop.includes(f)),
    skipped: drop.map((f) => ({
      file: f.input.path,
      reason: `same records as ${keptNames} (${pct}% of its cluster events match)`,
    })),
  };
}

function eventKeys(files: ParsedFile[]): string[] {
  return files.flatMap((f) => f.events.map((e) => `${e.type}\u0000${e.message}`));
}

function overlapShare(a: ParsedFile[], b: ParsedFile[]): number {
  const ka = eventKeys(a);
  const kb = eventKeys(b);
  const [small, large] = ka.length <= kb.length ? [ka, kb] : [kb, ka];
  if (small.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const k of large) counts.set(k, (counts.get(k) ?? 0) + 1);
  let found = 0;
  for (const k of small) {
    const n = counts.get(k) ?? 0;
    if (n > 0) {
      found++;
      counts.set(k, n - 1);
    }
  }
  return found / small.length;
}

/** Keep the side with more events; on a tie, the side whose timestamps are more precise. */
function prefer(consoleFiles: ParsedFile[], datedFiles: ParsedFile[]): [ParsedFile[], ParsedFile[]] {
  const count = (fs: ParsedFile[]): number => fs.reduce((n, f) => n + f.events.length, 0);
  const c = count(consoleFiles);
  const d = count(datedFiles);
  if (c !== d) return c > d ? [consoleFiles, datedFiles] : [datedFiles, consoleFiles];
  return timePrecision(datedFiles) > timePrecision(consoleFiles) ? [datedFiles, consoleFiles] : [consoleFiles, datedFiles];
}

/** 0: no times; 1: whole seconds; 2: milliseconds. */
function timePrecision(files: ParsedFile[]): number {
  let best = 0;
  for (const f of files) {
    for (const e of f.events) {
      if (e.timeMs === undefined) continue;
      if (e.timeMs % 1000 !== 0) return 2;
      best = 1;
    }
  }
  return best;
}
