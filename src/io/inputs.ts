// Turns the PATH arguments (files, directories, globs, '-') into the list of inputs, each with the
// node it belongs to, in the order a rotated set must be read.

import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { LensError } from '../core/errors.js';
import { unreadable } from './byte-source.js';
import { isLogFileName } from './log-files.js';

export type InputKind = 'console' | 'dated' | 'other' | 'stdin';

export interface InputFile {
  /** The path as given or found ('-' for stdin). */
  path: string;
  node: string;
  kind: InputKind;
  /** Sort key inside a node's rotated set: older first. */
  order: string;
}

export interface ResolveOptions {
  /** `--node NAME=PATH` pairs. PATH matches a file, or any file below a directory. */
  nodes?: Record<string, string>;
  /** How deep to look inside directory arguments. */
  maxDepth?: number;
}

const GLOB_CHARS = /[*?[\]{}]/;
const DATED = /^catalina\.(\d{4}-\d{2}-\d{2})\.log(?:\.(\d+))?(?:\.gz)?$/;
const CONSOLE = /^catalina\.out(?:\.(\d+))?(?:\.gz)?$/;

export interface ExpandedInputs {
  /** The inputs found, grouped by node and in reading order. */
  inputs: InputFile[];
  /** One `INPUT_NOT_FOUND` / `INPUT_UNREADABLE` error per argument that named nothing readable. */
  errors: LensError[];
}

/** Expands the arguments; an argument that names nothing is an `INPUT_NOT_FOUND` error. */
export async function resolveInputs(args: string[], opts: ResolveOptions = {}): Promise<InputFile[]> {
  const { inputs, errors } = await expandInputs(args, opts);
  if (errors.length > 0) throw errors[0];
  return inputs;
}

/**
 * Expands the arguments like `resolveInputs`, but an argument that names nothing (or a directory
 * that cannot be listed) is reported in `errors` while the other arguments are still expanded.
 */
export async function expandInputs(args: string[], opts: ResolveOptions = {}): Promise<ExpandedInputs> {
  const maxDepth = opts.maxDepth ?? 3;
  const seen = new Set<string>();
  const found: string[] = [];
  const errors: LensError[] = [];
  const add = (p: string): void => {
    const key = p === '-' ? '-' : resolve(p);
    if (!seen.has(key)) {
      seen.add(key);
      found.push(p);
    }
  };
  for (const arg of args) {
    if (arg === '-') {
      add('-');
      continue;
    }
    try {
      const info = await stat(arg).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return undefined;
        throw err;
      });
      if (info?.isDirectory()) {
        const files = await listLogFiles(arg, maxDepth, errors);
        if (files.length === 0) {
          throw new LensError(
            'INPUT_NOT_FOUND',
            `${arg}: no catalina logs in this directory (looked for catalina.out, catalina.*.log and *.out, also .gz; name other files directly)`,
            { file: arg },
          );
        }
        files.forEach(add);
      } else if (info) {
        add(arg);
      } else if (GLOB_CHARS.test(arg)) {
        // Loaded only for a glob argument: tinyglobby and picomatch cost ~10 ms of start-up.
        const { glob } = await import('tinyglobby');
        const matches = (await glob(arg, { onlyFiles: true, absolute: false, dot: false })).sort();
        if (matches.length === 0) throw new LensError('INPUT_NOT_FOUND', `${arg}: the pattern matches no file`, { file: arg });
        matches.forEach(add);
      } else {
        throw new LensError('INPUT_NOT_FOUND', `${arg}: no such file or directory`, { file: arg });
      }
    } catch (err) {
      errors.push(err instanceof LensError ? err : unreadable(arg, err));
    }
  }
  const inputs = found.map((path) => describeInput(path, opts.nodes ?? {}));
  return { inputs: sortInputs(inputs), errors };
}

/**
 * Lists a directory's log files. The top directory must be readable (else this throws); a
 * subdirectory that cannot be listed is reported in `errors` and the rest is still listed.
 */
async function listLogFiles(dir: string, depth: number, errors: LensError[], top = true): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (top) throw err;
    errors.push(unreadable(dir, err));
    return [];
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory() && depth > 0) out.push(...(await listLogFiles(p, depth - 1, errors, false)));
    else if ((e.isFile() || e.isSymbolicLink() || e.isFIFO()) && isLogFileName(p)) out.push(p);
  }
  return out;
}

/** Node name: `--node`, else the directory of a `catalina.*` file, else the file's stem. */
export function nodeNameFor(path: string, nodes: Record<string, string> = {}): string {
  if (path === '-') return nodes['-'] ?? findNodeOption('-', nodes) ?? 'stdin';
  const fromOption = findNodeOption(path, nodes);
  if (fromOption) return fromOption;
  const name = basename(path);
  if (name.startsWith('catalina.')) {
    const dir = basename(dirname(resolve(path)));
    if (dir && dir !== '/' && dir !== '.') return dir;
  }
  return name.replace(/\.gz$/, '').replace(/\.(?:log|out|txt|json)(?:\.\d+)?$/, '');
}

function findNodeOption(path: string, nodes: Record<string, string>): string | undefined {
  const abs = path === '-' ? '-' : resolve(path);
  for (const [name, p] of Object.entries(nodes)) {
    const target = p === '-' ? '-' : resolve(p);
    if (abs === target || abs.startsWith(target + '/')) return name;
  }
  return undefined;
}

function describeInput(path: string, nodes: Record<string, string>): InputFile {
  const node = nodeNameFor(path, nodes);
  if (path === '-') return { path, node, kind: 'stdin', order: '' };
  const name = basename(path);
  const dated = DATED.exec(name);
  if (dated) return { path, node, kind: 'dated', order: `${dated[1]}.${pad(9_999 - Number(dated[2] ?? 0))}` };
  const console = CONSOLE.exec(name);
  // catalina.out.2 is older than catalina.out.1, which is older than catalina.out.
  if (console) return { path, node, kind: 'console', order: pad(99_999 - Number(console[1] ?? 0)) };
  return { path, node, kind: 'other', order: name };
}

function pad(n: number): string {
  return String(n).padStart(6, '0');
}

/** Group by node (first appearance order), then older files first inside each node. */
function sortInputs(inputs: InputFile[]): InputFile[] {
  const nodeOrder = new Map<string, number>();
  for (const i of inputs) if (!nodeOrder.has(i.node)) nodeOrder.set(i.node, nodeOrder.size);
  const kindOrder: Record<InputKind, number> = { dated: 0, other: 1, console: 2, stdin: 3 };
  return [...inputs].sort(
    (a, b) =>
      nodeOrder.get(a.node)! - nodeOrder.get(b.node)! ||
      kindOrder[a.kind] - kindOrder[b.kind] ||
      a.order.localeCompare(b.order),
  );
}
