// The CLI as shipped (scripts/bundle-cli.mjs, run by `npm run build`): dist/cli/main.cjs is a small
// launcher that runs dist/cli/catalina-lens.cjs, the bundle, with V8's code cache of it. The bundle
// must find package.json, the grammars and the samples from dist/cli/, start its workers, and leave
// the dashboard (ink, react) out of every other command's start-up.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, test } from 'vitest';
import { BUNDLE_FILE, BUNDLE_ID_PREFIX, CACHE_FILE } from '../../src/cli/bundle-loader.js';
import { CORPUS, PUBLIC } from '../helpers/corpus.js';

const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/cli/main.cjs');
const TRACKER = join(import.meta.dirname, 'helpers/track-imports.mjs');
const LOADER = join(ROOT, 'dist/cli/bundle-loader.js');

function run(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeArgs, CLI, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', TZ: 'UTC', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The URLs of the modules a CLI run loads, relative to the package root (builtins as `node:x`). */
function modulesLoaded(args: string[]): string[] {
  const file = join(mkdtempSync(join(tmpdir(), 'track-imports-')), 'urls.txt');
  const r = run(args, { TRACK_IMPORTS: file }, ['--import', TRACKER]);
  expect(r.code, r.stderr).toBe(0);
  const root = new URL(`${ROOT}/`, 'file:///').href;
  return [...new Set(readFileSync(file, 'utf8').trim().split('\n'))].map((u) => u.replace(root, ''));
}

describe('the bundled CLI', () => {
  test('dist/cli/main.cjs launches the bundle, which reports the version of package.json', () => {
    // tsc's main.js imports its siblings (`./run.js`); the launcher has only the loader in it (its one
    // import of `./run.js` is for --enable-source-maps), and the bundle requires no file of the
    // package (only builtins and npm packages), nor the dashboard's ink and react.
    const main = readFileSync(CLI, 'utf8');
    expect(main).not.toMatch(/require\(['"]\.{1,2}\//);
    expect(main).toContain(BUNDLE_FILE);
    const bundle = readFileSync(join(ROOT, 'dist/cli', BUNDLE_FILE), 'utf8');
    expect(bundle.startsWith(BUNDLE_ID_PREFIX)).toBe(true);
    expect(bundle).not.toMatch(/require\(["']\.{1,2}\//);
    expect(bundle).not.toMatch(/require\(["'](ink|react)["']\)/);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(run(['--version']).stdout).toBe(`${pkg.version}\n`);
  });

  test('analyze, events and --version load neither ink, react nor the dashboard', () => {
    for (const args of [['--version'], ['analyze', 'samples/'], ['analyze', '--json', 'samples/'], ['events', 'samples/']]) {
      const loaded = modulesLoaded(args);
      expect(loaded.length, args.join(' ')).toBeGreaterThan(0);
      expect(loaded.filter((u) => /node_modules\/(ink|react|yoga-layout)\//.test(u)), args.join(' ')).toEqual([]);
      // Nothing of tsc's output either, nor the dashboard's modules: the bundle is read by the launcher.
      expect(loaded.filter((u) => u.startsWith('dist/') && u !== 'dist/cli/main.cjs'), args.join(' ')).toEqual([]);
    }
  });

  test("a start of this Node uses the build's code cache; a stale or damaged one is not used, and the results are the same", () => {
    const state = (dir: string): string => {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import { compileCliBundle } from ${JSON.stringify(LOADER)}; process.stdout.write(compileCliBundle(${JSON.stringify(dir)}).cache);`], {
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    };
    const dist = join(ROOT, 'dist/cli');
    expect(state(dist)).toBe('used');
    const dir = mkdtempSync(join(tmpdir(), 'catalina-lens-cache-'));
    try {
      const bundle = readFileSync(join(dist, BUNDLE_FILE));
      const cache = readFileSync(join(dist, CACHE_FILE));
      writeFileSync(join(dir, BUNDLE_FILE), bundle);
      // Made from another bundle: the id line differs (one hex digit of the hash changed).
      const other = Buffer.from(cache);
      other[BUNDLE_ID_PREFIX.length] = other[BUNDLE_ID_PREFIX.length] === 0x30 ? 0x31 : 0x30;
      writeFileSync(join(dir, CACHE_FILE), other);
      expect(state(dir)).toBe('stale');
      // The right id, but cut short: V8 refuses it.
      writeFileSync(join(dir, CACHE_FILE), cache.subarray(0, cache.length >> 1));
      expect(state(dir)).toBe('rejected');
      rmSync(join(dir, CACHE_FILE));
      expect(state(dir)).toBe('absent');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    for (const args of [['analyze', '--json', 'samples/'], ['events', 'samples/'], ['analyze', '--text', '--color', 'samples/']]) {
      const cached = run(args);
      expect(cached.code, cached.stderr).toBe(0);
      expect(run(args, { CATALINA_LENS_CODE_CACHE: '0' }).stdout, args.join(' ')).toBe(cached.stdout);
    }
  });

  test('under --enable-source-maps it runs tsc\'s modules (Node maps no vm script), with the same result', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'track-imports-')), 'urls.txt');
    const mapped = run(['analyze', '--json', 'samples/'], { TRACK_IMPORTS: file }, ['--enable-source-maps', '--import', TRACKER]);
    expect(mapped.code, mapped.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('/dist/cli/run.js');
    expect(mapped.stdout).toBe(run(['analyze', '--json', 'samples/']).stdout);
  });

  test('without its bundle (a build cut short) the bin says so in one line and exits 1', () => {
    // An install path with an escape sequence and a line break in it: the line stays one clean line.
    const dir = mkdtempSync(join(tmpdir(), 'catalina-lens-nobundle-\u001b[31m\n-'));
    try {
      writeFileSync(join(dir, 'main.cjs'), readFileSync(CLI));
      const r = spawnSync(process.execPath, [join(dir, 'main.cjs'), '--version'], { encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^catalina-lens: cannot load the CLI's bundle \(.*catalina-lens\.cjs.*\); run 'npm run build'\n$/);
      expect(r.stderr.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('finds the bundled samples and grammars from dist/cli/', () => {
    const r = run(['analyze', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).nodes.map((n: { name: string }) => n.name)).toEqual(['tomcat1', 'tomcat2', 'tomcat3']);
  });

  test("reads the bundled grammars from the build's pack, not from ~40 grammar files", () => {
    const file = join(mkdtempSync(join(tmpdir(), 'track-reads-')), 'paths.txt');
    const r = run(['analyze', '--json', 'samples/'], { TRACK_READS: file }, ['--import', join(import.meta.dirname, 'helpers/track-reads.mjs')]);
    expect(r.code, r.stderr).toBe(0);
    const read = readFileSync(file, 'utf8').trim().split('\n');
    expect(read.filter((p) => p.endsWith(join('dist', 'grammars.pack.json'))).length).toBe(1);
    expect(read.filter((p) => /grammars[\\/](formats|events)[\\/]/.test(p))).toEqual([]);
  });

  test('parses in its worker thread (dist/cli/parse-worker.cjs) with the same result', () => {
    const inProcess = run(['analyze', '--json', 'samples/'], { CATALINA_LENS_WORKERS: '0' });
    const worker = run(['analyze', '--json', 'samples/'], { CATALINA_LENS_WORKERS: '1' });
    expect(worker.code, worker.stderr).toBe(0);
    expect(worker.stdout).toBe(inProcess.stdout);
  });

  test('loads its scan thread (dist/cli/scan-worker.cjs), which reads a large file with the same result', async () => {
    const worker = new Worker(join(ROOT, 'dist/cli/scan-worker.cjs'));
    try {
      const first = await new Promise<{ kind: string }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(first.kind).toBe('ready');
    } finally {
      await worker.terminate();
    }
    // ~40 MiB of real logs (a noisy Tomcat 8.0 day and a cluster node's log, repeated): over the
    // 32 MiB from which a file is handed to the scan thread.
    const dir = mkdtempSync(join(tmpdir(), 'catalina-lens-scan-cli-'));
    try {
      const block = Buffer.concat([readFileSync(join(PUBLIC, 'isaiasa-tomcat8.0.33-tomcat0-catalina.2019-05-21.log')), readFileSync(join(CORPUS, 'flapping/tomcat2/catalina.2026-11-26.log'))]);
      const file = join(dir, 'catalina.out');
      writeFileSync(file, Buffer.concat(Array.from({ length: Math.ceil((40 << 20) / block.length) }, () => block)));
      const oneThread = run(['analyze', '--json', file], { CATALINA_LENS_SCAN_THREAD: '0' });
      const scanned = run(['analyze', '--json', file]);
      expect(scanned.code, scanned.stderr).toBe(0);
      expect(JSON.parse(scanned.stdout).counts.events['member-added']).toBeGreaterThan(100);
      expect(scanned.stdout).toBe(oneThread.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
