// `events` into a pipe whose reader lags: the reading waits for the reader (Node queues in memory
// what a full pipe does not take, so without waiting a slow consumer such as `| jq` made the
// process hold the whole output). Linux: the bytes the process has read come from /proc/PID/io.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { CORPUS } from '../helpers/corpus.js';

const CLI = join(import.meta.dirname, '../../dist/cli/main.cjs');
const dir = mkdtempSync(join(tmpdir(), 'catalina-lens-backpressure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bytes the process has read so far (all its reads: modules too). */
function bytesRead(pid: number): number {
  return Number(/^rchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))![1]);
}

test.skipIf(!existsSync('/proc/self/io'))('events waits for a pipe reader that lags, and then writes every event', async () => {
  // A real cluster node's log, repeated to 24 MiB.
  const nodeLog = readFileSync(join(CORPUS, 'flapping/tomcat2/catalina.2026-11-26.log'));
  const file = join(dir, 'catalina.out');
  writeFileSync(file, Buffer.concat(Array.from({ length: Math.ceil((24 << 20) / nodeLog.length) }, () => nodeLog)));
  const size = readFileSync(file).length;

  const child = spawn(process.execPath, [CLI, 'events', '--tz', 'UTC', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pause(); // nobody reads yet: the pipe fills
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const readWhilePaused = bytesRead(child.pid!);
  expect(child.exitCode).toBeNull();
  expect(readWhilePaused).toBeLessThan(size / 2);

  let lines = 0;
  let tail = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    const all = tail + text;
    const parts = all.split('\n');
    tail = parts.pop()!;
    lines += parts.length;
  });
  child.stdout.resume();
  const code = await new Promise((resolve) => child.on('close', resolve));
  expect(code).toBe(0);
  expect(tail).toBe('');
  // Every event: as many as one copy of the log gives, times the copies.
  const one = spawn(process.execPath, [CLI, 'events', '--tz', 'UTC', join(CORPUS, 'flapping/tomcat2/catalina.2026-11-26.log')]);
  let oneText = '';
  one.stdout.on('data', (t: Buffer) => (oneText += t.toString()));
  await new Promise((resolve) => one.on('close', resolve));
  const perCopy = oneText.split('\n').filter(Boolean).length;
  expect(perCopy).toBeGreaterThan(10);
  expect(lines).toBeGreaterThanOrEqual(perCopy * Math.floor(size / nodeLog.length) * 0.9);
}, 60_000);
