// The progress line of `analyze` and `events` over large inputs: one line on stderr, rewritten in
// place (`\r` + clear line) at most five times a second, and erased when reading is done. Only when
// stderr is a terminal and the inputs are larger than 50 MB: a pipe or a log file gets nothing.

import { formatDuration } from '../core/model/time.js';

/** Inputs up to this size are read without a progress line. */
export const PROGRESS_MIN_BYTES = 50_000_000;
export const PROGRESS_INTERVAL_MS = 200;

const CLEAR = '\r\x1b[2K';

/** `950 kB`, `312 MB`, `1.07 GB` (decimal units, three significant digits at most). */
export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let u = 0;
  let v = n;
  while (v >= 999.5 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  const text = u === 0 || v >= 99.95 ? Math.round(v).toString() : v >= 9.995 ? v.toFixed(1) : v.toFixed(2);
  return `${text} ${units[u]}`;
}

/**
 * `reading 312 MB / 1.07 GB (29%), 4.1 s left`. The time left is extrapolated from the rate so
 * far, once there is one to go by (some bytes read, half a second passed).
 */
export function formatProgress(readBytes: number, totalBytes: number, elapsedMs: number): string {
  const read = Math.min(readBytes, totalBytes);
  const pct = totalBytes > 0 ? Math.floor((read / totalBytes) * 100) : 0;
  let text = `reading ${formatBytes(read)} / ${formatBytes(totalBytes)} (${pct}%)`;
  if (read > 0 && read < totalBytes && elapsedMs >= 500) text += `, ${formatDuration((elapsedMs * (totalBytes - read)) / read)} left`;
  return text;
}

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export class ProgressLine {
  private readonly start: number;
  private last = Number.NEGATIVE_INFINITY;
  private shown = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly now: () => number = Date.now,
    private readonly minBytes = PROGRESS_MIN_BYTES,
  ) {
    this.start = now();
  }

  /** For `onProgress`: rewrites the line when due. */
  readonly update = (readBytes: number, totalBytes: number): void => {
    if (!this.stream.isTTY || totalBytes <= this.minBytes) return;
    const t = this.now();
    if (t - this.last < PROGRESS_INTERVAL_MS) return;
    this.last = t;
    let text = formatProgress(readBytes, totalBytes, t - this.start);
    const width = this.stream.columns ?? 0;
    if (width > 1 && text.length > width - 1) text = text.slice(0, width - 1);
    this.stream.write(CLEAR + text);
    this.shown = true;
  };

  /** Erases the line, if one was shown; call before anything else is written. */
  clear(): void {
    if (!this.shown) return;
    this.stream.write(CLEAR);
    this.shown = false;
  }
}
