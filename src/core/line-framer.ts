// Frames a byte stream into lines. Works on Buffers so that a line is decoded once, and so that an
// over-long line is cut while it streams in instead of being held whole (split2's maxLength either
// errors the stream or drops the line silently; neither keeps the accounting promise).

import { isUtf8 } from 'node:buffer';
import type { Line } from './types.js';

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

export interface FramerStats {
  bytes: number;
  lines: number;
  invalidUtf8: number;
  truncatedLines: number;
}

export interface LineFramerOptions {
  /** Bytes kept of one line; the rest is skipped and the line marked `truncated`. Default 1 MiB. */
  maxLineBytes?: number;
}

const NEWLINE = 0x0a;
const CR = 0x0d;
const REPLACEMENT = '\ufffd';

export class LineFramer {
  readonly stats: FramerStats = { bytes: 0, lines: 0, invalidUtf8: 0, truncatedLines: 0 };
  private readonly maxLineBytes: number;
  private readonly onLine: (line: Line) => void;
  /** Pieces of the current unterminated line, at most maxLineBytes in total. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private pendingTruncated = false;
  private lineStart = 0;

  constructor(onLine: (line: Line) => void, opts: LineFramerOptions = {}) {
    const max = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!Number.isInteger(max) || max < 16) throw new RangeError(`maxLineBytes must be an integer >= 16, got ${JSON.stringify(max)}`);
    this.maxLineBytes = max;
    this.onLine = onLine;
  }

  push(chunk: Buffer): void {
    const chunkStart = this.stats.bytes;
    this.stats.bytes += chunk.length;
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) {
        this.hold(chunk, start, chunk.length);
        return;
      }
      if (this.pendingBytes === 0 && !this.pendingTruncated && nl - start <= this.maxLineBytes) {
        this.emit(chunk, start, nl, false);
      } else {
        this.hold(chunk, start, nl);
        const joined = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
        this.emit(joined, 0, joined.length, this.pendingTruncated);
        this.pending = [];
        this.pendingBytes = 0;
        this.pendingTruncated = false;
      }
      start = nl + 1;
      this.lineStart = chunkStart + start;
    }
  }

  /** Emits a held unterminated last line (end of input, or a live follower's idle timeout). */
  flushPartial(): void {
    if (this.pendingBytes === 0 && !this.pendingTruncated) return;
    const joined = Buffer.concat(this.pending, this.pendingBytes);
    this.emit(joined, 0, joined.length, this.pendingTruncated);
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingTruncated = false;
    this.lineStart = this.stats.bytes;
  }

  end(): void {
    this.flushPartial();
  }

  private hold(chunk: Buffer, start: number, end: number): void {
    const room = this.maxLineBytes - this.pendingBytes;
    if (end - start > room) {
      this.pendingTruncated = true;
      end = start + Math.max(0, room);
      // Do not cut inside a UTF-8 sequence: back off over continuation bytes.
      while (end > start && (chunk[end] & 0xc0) === 0x80) end--;
    }
    if (end > start) {
      // Copy: the caller may reuse its read buffer.
      this.pending.push(Buffer.from(chunk.subarray(start, end)));
      this.pendingBytes += end - start;
    }
  }

  private emit(buf: Buffer, start: number, end: number, truncated: boolean): void {
    if (end - start > this.maxLineBytes) {
      end = start + this.maxLineBytes;
      truncated = true;
      while (end > start && (buf[end] & 0xc0) === 0x80) end--;
    }
    if (end > start && buf[end - 1] === CR) end--;
    const text = buf.toString('utf8', start, end);
    const line: Line = { text, line: ++this.stats.lines, offset: this.lineStart };
    if (truncated) {
      line.truncated = true;
      this.stats.truncatedLines++;
    }
    if (text.includes(REPLACEMENT) && !isUtf8(buf.subarray(start, end))) {
      line.invalidUtf8 = true;
      this.stats.invalidUtf8++;
    }
    this.onLine(line);
  }
}
