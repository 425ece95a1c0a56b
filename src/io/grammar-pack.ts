// The bundled grammars as one file, written by `npm run build` (scripts/pack-grammars.mjs): each
// format grammar as written, and each event grammar compiled down to its templates' index fields
// (literal prefix, needle, constants ...), without samples. At start-up one read replaces ~40, and
// no event template is parsed or compiled before its first match.
//
// The grammar files stay the source: the pack lists each file and its size, and a pack is not used
// (the files are read instead) when the list or a size differs from grammars/ as it is, or a file
// there is newer than the pack (edited since the build), as make would decide. An npm install gives
// the package's files one and the same time, so an installed pack is used. Nor is a pack of another
// layout (PACK_VERSION) used.

import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { PackedEventGrammar } from '../core/event-grammar.js';

/** Bumped whenever what a pack holds changes. */
export const PACK_VERSION = 1;

export type GrammarKind = 'format' | 'events';

/** What a pack holds of one grammar file. */
export interface PackedFile {
  /** Relative to the grammar directory, with `/`; absolute once read back. */
  path: string;
  size: number;
  /** Absent for other JSON beside the grammars (a JSON Schema). */
  kind?: GrammarKind;
  formats?: Array<{ name: string; body: unknown }>;
  events?: PackedEventGrammar[];
}

interface GrammarPack {
  version: number;
  files: PackedFile[];
}

/** Writes the pack of `files` (of grammar directory `root`, in load order) to `out`. */
export function writeGrammarPack(out: string, root: string, files: Array<Omit<PackedFile, 'size'>>): void {
  const packed = files.map((f): PackedFile => ({ ...f, path: relPath(root, f.path), size: statSync(f.path).size }));
  writeFileSync(out, JSON.stringify({ version: PACK_VERSION, files: packed } satisfies GrammarPack));
}

/**
 * What `pack` holds when it holds exactly `files` (of directory `root`, in that order) as they are
 * now, with absolute paths; else undefined (no pack, another version, a file changed since).
 */
export function readGrammarPack(pack: string, root: string, files: string[]): PackedFile[] | undefined {
  let parsed: GrammarPack;
  let packTime: number;
  try {
    packTime = statSync(pack).mtimeMs;
    parsed = JSON.parse(readFileSync(pack, 'utf8')) as GrammarPack;
  } catch {
    return undefined;
  }
  if (parsed?.version !== PACK_VERSION || !Array.isArray(parsed.files) || parsed.files.length !== files.length) return undefined;
  for (let i = 0; i < files.length; i++) {
    const packed = parsed.files[i];
    // join, not relative(), which resolves both paths against the working directory: 0.3 against
    // 0.9 ms for the 49 bundled files in a fresh process.
    if (join(root, packed.path) !== files[i]) return undefined;
    let info;
    try {
      info = statSync(files[i]);
    } catch {
      return undefined;
    }
    if (info.size !== packed.size || info.mtimeMs > packTime) return undefined;
    packed.path = files[i];
  }
  return parsed.files;
}

function relPath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

/** Where the build writes the bundled grammars' pack. */
export function bundledPackPath(packageRoot: string): string {
  return join(packageRoot, 'dist', 'grammars.pack.json');
}
