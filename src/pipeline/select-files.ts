// Tomcat writes every record both to catalina.out (console handler) and to the dated
// catalina.YYYY-MM-DD.log (file handler), often in different formats. When a node has both, the
// overlap is detected from the events themselves (the same messages in the same order of types),
// never from the names alone, and only one copy is used.
//
// The comparison is gathered as the events stream by (CopySummary), in bounded memory: each side's
// event count and time precision, and a sample of its events' keys. The sample is chosen by a hash
// of the key, so both sides sample the same keys, and it thins itself (half the hash values at a
// time) when it outgrows its bound; until then it holds every key and the comparison is exact.

import type { ClusterEvent } from '../core/types.js';
import type { InputFile } from '../io/inputs.js';
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
/** Distinct keys a summary samples at most, both sides together; past it the sample thins. */
export const SAMPLED_KEYS = 8192;

/** One side of a node: its console files, or its dated files. */
interface Side {
  events: number;
  /** 0: no times; 1: whole seconds; 2: milliseconds. */
  precision: number;
  /** Sampled keys and how often each occurs. */
  keys: Map<string, number>;
  /** Occurrences of sampled keys. */
  sampled: number;
}

/** What the choice between a node's console and dated copies needs of their events, gathered as they come. */
export class CopySummary {
  private readonly sides: Record<'console' | 'dated', Side> = { console: newSide(), dated: newSide() };
  /** A key is sampled when the low `level` bits of its hash are 0. */
  private level = 0;

  /** Counts `ev` of a file of kind `kind` (other kinds are not compared). */
  add(kind: InputFile['kind'], ev: ClusterEvent): void {
    if (kind !== 'console' && kind !== 'dated') return;
    const side = this.sides[kind];
    side.events++;
    if (ev.timeMs !== undefined && side.precision < 2) side.precision = ev.timeMs % 1000 !== 0 ? 2 : 1;
    const key = `${ev.type}\u0000${ev.message}`;
    if ((hash(key) & ((1 << this.level) - 1)) !== 0) return;
    side.keys.set(key, (side.keys.get(key) ?? 0) + 1);
    side.sampled++;
    if (this.sides.console.keys.size + this.sides.dated.keys.size > SAMPLED_KEYS) this.thin();
  }

  /** Distinct keys held, both sides together: at most SAMPLED_KEYS. */
  get keyCount(): number {
    return this.sides.console.keys.size + this.sides.dated.keys.size;
  }

  /** Share of the smaller side's (sampled) events found on the other side. */
  overlapShare(): number {
    const { console: a, dated: b } = this.sides;
    const [small, large] = a.sampled <= b.sampled ? [a, b] : [b, a];
    if (small.sampled === 0) return 0;
    let found = 0;
    for (const [key, n] of small.keys) found += Math.min(n, large.keys.get(key) ?? 0);
    return found / small.sampled;
  }

  /** The side to keep: the one with more events; on a tie, the one whose times are more precise, else the console. */
  preferred(): 'console' | 'dated' {
    const { console: c, dated: d } = this.sides;
    if (c.events !== d.events) return c.events > d.events ? 'console' : 'dated';
    return d.precision > c.precision ? 'dated' : 'console';
  }

  /** Samples half as many hash values: drops the keys no longer sampled. */
  private thin(): void {
    this.level++;
    const mask = (1 << this.level) - 1;
    for (const side of Object.values(this.sides)) {
      for (const [key, n] of side.keys) {
        if ((hash(key) & mask) === 0) continue;
        side.keys.delete(key);
        side.sampled -= n;
      }
    }
  }
}

function newSide(): Side {
  return { events: 0, precision: 0, keys: new Map(), sampled: 0 };
}

/** FNV-1a over the UTF-16 units of `s`. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Each node's files to use, for files read whole (their events at hand). */
export function selectNodeFiles(parsed: ParsedFile[]): NodeFiles[] {
  const byNode = new Map<string, ParsedFile[]>();
  for (const p of parsed) {
    const list = byNode.get(p.input.node) ?? [];
    list.push(p);
    byNode.set(p.input.node, list);
  }
  return [...byNode].map(([node, files]) => {
    const summary = new CopySummary();
    for (const f of files) for (const ev of f.events) summary.add(f.input.kind, ev);
    return chooseCopy(node, files, summary);
  });
}

/** Which of a node's files to use, from the summary of their events. */
export function chooseCopy(node: string, files: ParsedFile[], summary: CopySummary): NodeFiles {
  const consoleFiles = files.filter((f) => f.input.kind === 'console');
  const datedFiles = files.filter((f) => f.input.kind === 'dated');
  if (consoleFiles.length === 0 || datedFiles.length === 0) return { node, used: files, skipped: [] };
  const share = summary.overlapShare();
  if (share < OVERLAP_SHARE) return { node, used: files, skipped: [] };
  const [keep, drop] = summary.preferred() === 'console' ? [consoleFiles, datedFiles] : [datedFiles, consoleFiles];
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
