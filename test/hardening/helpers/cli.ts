// Runs the built CLI (dist/cli/main.cjs; `npm test` builds it first) in a child process.

import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '../../..');
export const CLI = join(ROOT, 'dist/cli/main.cjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to its end. `asUser`: run as that uid/gid through setpriv (for permission tests as root). */
export function runCli(args: string[], opts: { cwd?: string; input?: string; timeoutMs?: number; asUser?: number; nodeArgs?: string[] } = {}): CliResult {
  const env = { ...process.env, NO_COLOR: '1', CI: 'true' };
  let r: SpawnSyncReturns<string>;
  const base = { cwd: opts.cwd, input: opts.input ?? '', encoding: 'utf8' as const, env, timeout: opts.timeoutMs ?? 30_000, maxBuffer: 256 * 1024 * 1024 };
  if (opts.asUser !== undefined) {
    const u = String(opts.asUser);
    r = spawnSync('setpriv', [`--reuid=${u}`, `--regid=${u}`, '--clear-groups', process.execPath, CLI, ...args], base);
  } else {
    r = spawnSync(process.execPath, [...(opts.nodeArgs ?? []), CLI, ...args], base);
  }
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** True when `setpriv` can drop root to `nobody` here. */
export function canDropRoot(): boolean {
  if (process.getuid?.() !== 0) return false;
  if (!existsSync('/usr/bin/setpriv') && !existsSync('/bin/setpriv')) return false;
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']);
  return r.status === 0;
}

/** Parses an `events --stats` line: the quoted file name and its `key=number` counts. */
export function parseStatsLine(line: string): { file: string; counts: Record<string, number> } {
  const m = /^("(?:[^"\\]|\\.)*") (.*)$/.exec(line);
  if (!m) throw new Error(`not a stats line: ${line}`);
  const counts: Record<string, number> = {};
  for (const [, k, v] of m[2].matchAll(/([\w-]+)=(\d+)/g)) counts[k] = Number(v);
  return { file: JSON.parse(m[1]) as string, counts };
}

/** The stats lines of an `events --stats` run, by file name. */
export function statsByFile(stderr: string): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  for (const line of stderr.split('\n')) if (line.startsWith('"')) {
    const s = parseStatsLine(line);
    out.set(s.file, s.counts);
  }
  return out;
}

/**
 * Spawns the CLI and resolves with what it printed once `until(stdout)` holds (then kills it), or
 * when it exits. For `tail`, which runs until it is stopped.
 */
export function runCliUntil(args: string[], until: (stdout: string) => boolean, timeoutMs = 20_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (until(stdout)) child.kill('SIGTERM');
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
