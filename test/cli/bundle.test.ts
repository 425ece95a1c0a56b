// The CLI as shipped: dist/cli/main.js is esbuild's bundle (scripts/bundle-cli.mjs, run by
// `npm run build`). It must find package.json, the grammars and the samples from dist/cli/, start
// its parse worker, and leave the dashboard (ink, react) out of every other command's start-up.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, test } from 'vitest';
import { CORPUS, PUBLIC } from '../helpers/corpus.js';

const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/cli/main.js');
const TRACKER = join(import.meta.dirname, 'helpers/track-imports.mjs');

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
  test('dist/cli/main.js is the bundle, and reports the version of package.json', () => {
    // tsc's main.js imports its siblings (`./args.js`); the bundle imports only its own chunks.
    const main = readFileSync(CLI, 'utf8');
    expect(main).not.toMatch(/from ['"]\.\/args\.js['"]/);
    expect(main).toMatch(/from ['"]\.\/chunk-[A-Z0-9]+\.js['"]/);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(run(['--version']).stdout).toBe(`${pkg.version}\n`);
  });

  test('analyze, events and --version load neither ink, react nor the dashboard', () => {
    for (const args of [['--version'], ['analyze', 'samples/'], ['analyze', '--json', 'samples/'], ['events', 'samples/']]) {
      const loaded = modulesLoaded(args);
      expect(loaded.length, args.join(' ')).toBeGreaterThan(0);
      expect(loaded.filter((u) => /node_modules\/(ink|react|yoga-layout)\//.test(u)), args.join(' ')).toEqual([]);
      // Nothing of tsc's output either: every module of the package comes from the bundle.
      expect(loaded.filter((u) => u.startsWith('dist/') && !/^dist\/cli\/(main|chunk-[A-Z0-9]+)\.js$/.test(u)), args.join(' ')).toEqual([]);
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

  test('parses in its worker thread (dist/cli/parse-worker.js) with the same result', () => {
    const inProcess = run(['analyze', '--json', 'samples/'], { CATALINA_LENS_WORKERS: '0' });
    const worker = run(['analyze', '--json', 'samples/'], { CATALINA_LENS_WORKERS: '1' });
    expect(worker.code, worker.stderr).toBe(0);
    expect(worker.stdout).toBe(inProcess.stdout);
  });

  test('loads its scan thread (dist/cli/scan-worker.js), which reads a large file with the same result', async () => {
    const worker = new Worker(join(ROOT, 'dist/cli/scan-worker.js'));
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
