// Loads the CLI's bundle (dist/cli/catalina-lens.cjs, written by scripts/bundle-cli.mjs) with V8's
// code cache. Most of a short run's own time was V8 parsing and compiling our functions the first
// time each ran (`analyze` of 1 KB: ~35 ms of ~55); the build runs the bundle's commands once and
// saves V8's cache of everything compiled, so a start deserialises instead of compiling. Node 20 has
// no compile cache of its own for modules (module.enableCompileCache came in 22), hence a classic
// script through node:vm, which takes one.
//
// The cache is used only with the bundle it was made from: the bundle's first line carries the hash
// of its text, the cache begins with that hash, and V8 rejects a cache of another V8 version or
// other V8 flags itself. Any mismatch only costs the compiling the cache would have saved.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

export const BUNDLE_FILE = 'catalina-lens.cjs';
export const CACHE_FILE = `${BUNDLE_FILE}.cache`;
/** The bundle's first line: this, then the hex hash of the text after that line. */
export const BUNDLE_ID_PREFIX = '// catalina-lens bundle ';

/** used: V8 took the cache; rejected: V8 refused it (another Node); stale: made from another bundle; absent; off: CATALINA_LENS_CODE_CACHE=0. */
export type CodeCacheState = 'used' | 'rejected' | 'stale' | 'absent' | 'off';

export interface CliBundle {
  runCli(argv: string[]): Promise<number>;
  cache: CodeCacheState;
  /** The cache file's bytes for this bundle: its id line, then V8's cache of all compiled so far. */
  createCache(): Buffer;
}

// The bundle is CommonJS wrapped by hand. Its dynamic imports (the dashboard's ES modules, chalk,
// zlib) go through `__lensImport`, since `import()` in a vm script needs an experimental flag;
// `__lensUrl` stands for import.meta.url. The wrapper is part of what the cache was made from.
const WRAP_HEAD = '(function (exports, require, module, __filename, __dirname, __lensImport, __lensUrl) {';
const WRAP_TAIL = '\n})';

const importModule = (specifier: string): Promise<unknown> => import(specifier);

export interface CompiledBundle {
  file: string;
  script: Script;
  cache: CodeCacheState;
  /** The bundle's first line, with its newline: what the cache file must begin with. */
  idLine: string;
}

/** Compiles the bundle of `dir` (with its cache where it fits) without running any of it. */
export function compileCliBundle(dir = dirname(fileURLToPath(import.meta.url))): CompiledBundle {
  const file = join(dir, BUNDLE_FILE);
  const source = readFileSync(file, 'utf8');
  const idLine = `${source.slice(0, source.indexOf('\n'))}\n`;
  let cachedData: Buffer | undefined;
  let cache: CodeCacheState = 'absent';
  if (process.env.CATALINA_LENS_CODE_CACHE === '0') cache = 'off';
  else {
    try {
      const bytes = readFileSync(join(dir, CACHE_FILE));
      if (idLine.startsWith(BUNDLE_ID_PREFIX) && bytes.toString('latin1', 0, idLine.length) === idLine) {
        cachedData = bytes.subarray(idLine.length);
      } else cache = 'stale';
    } catch {
      // No cache (a build that did not make one): compile as any script.
    }
  }
  const script = new Script(WRAP_HEAD + source + WRAP_TAIL, { filename: file, cachedData });
  if (cachedData) cache = script.cachedDataRejected ? 'rejected' : 'used';
  return { file, script, cache, idLine };
}

/** Compiles and runs the bundle of `dir`: its exports, and how its cache went. */
export function loadCliBundle(dir?: string): CliBundle {
  const { file, script, cache, idLine } = compileCliBundle(dir);
  const module = { exports: {} as { runCli?: CliBundle['runCli'] } };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file), importModule, pathToFileURL(file).href);
  const runCli = module.exports.runCli;
  if (typeof runCli !== 'function') throw new Error(`${file} does not export runCli: rebuild with 'npm run build'`);
  return {
    runCli,
    cache,
    createCache: () => Buffer.concat([Buffer.from(idLine, 'latin1'), script.createCachedData()]),
  };
}
