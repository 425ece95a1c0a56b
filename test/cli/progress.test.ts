// The progress line of analyze/events: its text, its throttling, and silence when stderr is not a
// terminal or the input is small.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatBytes, formatProgress, ProgressLine, type ProgressStream } from '../../src/cli/progress.js';
import { formatDuration } from '../../src/core/model/time.js';
import { CORPUS } from '../helpers/corpus.js';

describe('formatting', () => {
  test('bytes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(950_000)).toBe('950 kB');
    expect(formatBytes(312_400_000)).toBe('312 MB');
    expect(formatBytes(52_400_000)).toBe('52.4 MB');
    expect(formatBytes(1_077_936_128)).toBe('1.08 GB');
    expect(formatBytes(4_294_967_296)).toBe('4.29 GB');
    expect(formatBytes(999_999_999)).toBe('1.00 GB');
  });

  test('durations', () => {
    expect(formatDuration(4_130)).toBe('4.1 s');
    expect(formatDuration(42_400)).toBe('42 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
    expect(formatDuration(3_720_000)).toBe('1 h 2 min');
    // One formatter for the progress line and the findings' prose.
    expect(formatDuration(350)).toBe('350 ms');
    expect(formatDuration(7_200_000)).toBe('2 h');
    expect(formatDuration(-1_500)).toBe('-1.5 s');
    expect(formatDuration(600_000)).toBe('10 min');
  });

  test('line: bytes, share and time left', () => {
    // 312 MB of 1.03 GB in 1.8 s: 718 MB left at 173 MB/s.
    expect(formatProgress(312_000_000, 1_030_000_000, 1_800)).toBe('reading 312 MB / 1.03 GB (30%), 4.1 s left');
    // No rate yet: no time left.
    expect(formatProgress(0, 1_030_000_000, 0)).toBe('reading 0 B / 1.03 GB (0%)');
    expect(formatProgress(10_000_000, 1_030_000_000, 100)).toBe('reading 10.0 MB / 1.03 GB (0%)');
    expect(formatProgress(1_030_000_000, 1_030_000_000, 9_000)).toBe('reading 1.03 GB / 1.03 GB (100%)');
  });
});

function fakeStream(isTTY: boolean, columns?: number): ProgressStream & { out: string[] } {
  const out: string[] = [];
  return { isTTY, columns, out, write: (t: string) => out.push(t) };
}

describe('ProgressLine', () => {
  test('on a terminal, over 50 MB: one line rewritten at most every 200 ms, erased at the end', () => {
    let now = 1_000;
    const s = fakeStream(true, 120);
    const p = new ProgressLine(s, () => now);
    p.update(0, 200_000_000);
    now += 50;
    p.update(1_000_000, 200_000_000); // too soon: skipped
    now += 950;
    p.update(50_000_000, 200_000_000);
    p.clear();
    p.clear(); // once only
    expect(s.out).toEqual([
      '\r\x1b[2Kreading 0 B / 200 MB (0%)',
      '\r\x1b[2Kreading 50.0 MB / 200 MB (25%), 3.0 s left',
      '\r\x1b[2K',
    ]);
  });

  test('cut to the terminal width', () => {
    const s = fakeStream(true, 20);
    new ProgressLine(s, () => 0).update(1, 100_000_000);
    expect(s.out[0]).toBe('\r\x1b[2Kreading 1 B / 100 M');
  });

  test('nothing when stderr is not a terminal, or the input is 50 MB or less', () => {
    for (const [tty, total] of [
      [false, 5_000_000_000],
      [true, 50_000_000],
    ] as const) {
      const s = fakeStream(tty);
      const p = new ProgressLine(s, () => 0);
      p.update(0, total);
      p.update(total, total);
      p.clear();
      expect(s.out).toEqual([]);
    }
  });

  test('the CLI writes nothing on stderr but its report when stderr is a pipe', () => {
    const cli = join(import.meta.dirname, '../../src/cli/main.ts');
    for (const cmd of [['analyze', '--json'], ['events']]) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', cli, ...cmd, '--tz', 'UTC', join(CORPUS, 'steady')], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout.length).toBeGreaterThan(0);
    }
  }, 60_000);
});
