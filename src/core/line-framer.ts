// Frames a byte stream into lines. Works on Buffers so that a line is decoded once, and so that an
// over-long line is cut while it streams in instead of being held whole (split2's maxLength either
// errors the stream or drops the line silently; neither keeps the accounting promise).
//
// Two ways out: decoded `Line` objects (the default), or, with `raw`, the line's byte range inside
// the chunk (no string made): the archive fast path decodes only the lines it needs.

import { isUtf8 } from 'node:buffer';
import type { LineDecode } from './text-encoding.js';
import type { Line } from './types.js';

export const NEWLINE = 0x0a;
const CR = 0x0d;

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

export interface FramerStats {
  bytes: number;
  lines: number;
  invalidUtf8: number;
  truncatedLines: number;
}

/** `flags` bits of a raw line. */
export const LINE_TRUNCATED = 1;
export const LINE_INVALID_UTF8 = 2;

/**
 * A line as bytes: `buf[start, end)`, `\r` stripped and cut at the cap; valid only during the call
 * (the buffer may be reused). `framer.stats.lines` is its number and `framer.lineOffset` its offset.
 */
export type RawLineHandler = (buf: Buffer, start: number, end: number, flags: number) => void;

export interface LineFramerOptions {
  /** Bytes kept of one line; the rest is skipped and the line marked `truncated`. Default 1 MiB. */
  maxLineBytes?: number;
  /** Receive byte ranges instead of decoded lines (`onLine` is then not called). */
  raw?: RawLineHandler;
  /**
   * Decode lines with this instead of as UTF-8 (an input in a legacy charset, see text-encoding.ts):
   * a line is then flagged invalid when it holds bytes the encoding has no character for.
   */
  decode?: LineDecode;
}

/**
 * The end of what is kept of the line `buf[start, end)` (`end` at its newline): cut at `maxLineBytes`
 * but not inside a UTF-8 sequence, then without a final `\r`.
 */
export function lineContentEnd(buf: Uint8Array, start: number, end: number, maxLineBytes: number): number {
  if (end - start > maxLineBytes) {
    end = start + maxLineBytes;
    while (end > start && (buf[end] & 0xc0) === 0x80) end--;
  }
  return end > start && buf[end - 1] === CR ? end - 1 : end;
}

/** Decodes a raw line into a `Line` (what the default mode emits). */
export function decodeLine(buf: Buffer, start: number, end: number, flags: number, line: number, offset: number): Line {
  return lineOf(buf.toString('utf8', start, end), flags, line, offset);
}

/** A `Line` of decoded `text` with its raw line's `flags`. */
function lineOf(text: string, flags: number, line: number, offset: number): Line {
  const out: Line = { text, line, offset };
  if (flags & LINE_TRUNCATED) out.truncated = true;
  if (flags & LINE_INVALID_UTF8) out.invalidUtf8 = true;
  return out;
}

/** A UTF-8 byte order mark at `buf[start]`. */
export function isBom(buf: Uint8Array, start: number, end: number): boolean {
  return end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf;
}

export class LineFramer {
  readonly stats: FramerStats = { bytes: 0, lines: 0, invalidUtf8: 0, truncatedLines: 0 };
  readonly maxLineBytes: number;
  private readonly onLine: (line: Line) => void;
  private readonly raw: RawLineHandler | undefined;
  private readonly decode: LineDecode | undefined;
  /** Pieces of the current unterminated line, at most maxLineBytes in total. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private pendingTruncated = false;
  private lineStart = 0;
  /** Lines that end inside `[validFrom, validTo)` of the current chunk are known to be valid UTF-8. */
  private validFrom = 0;
  private validTo = -1;

  constructor(onLine: (line: Line) => void, opts: LineFramerOptions = {}) {
    const max = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!Number.isInteger(max) || max < 16) throw new RangeError(`maxLineBytes must be an integer >= 16, got ${JSON.stringify(max)}`);
    this.maxLineBytes = max;
    this.onLine = onLine;
    this.raw = opts.raw;
    this.decode = opts.decode;
    if (this.decode && this.raw) throw new RangeError('LineFramer: decode applies to decoded lines, not to raw ones');
  }

  /** Byte offset of the line being emitted (during a callback). */
  get lineOffset(): number {
    return this.lineStart;
  }

  /** True while an unterminated line is held (the next bytes continue it). */
  get holding(): boolean {
    return this.pendingBytes > 0 || this.pendingTruncated;
  }

  /**
   * Accounts for `lines` whole lines of `bytes` bytes that the caller framed itself (the bulk line
   * scan), as if they had been pushed. Only between lines: not while a line is held.
   */
  advance(bytes: number, lines: number, truncated: number): void {
    if (this.holding) throw new Error('LineFramer.advance while a line is held');
    this.stats.bytes += bytes;
    this.stats.lines += lines;
    this.stats.truncatedLines += truncated;
    this.lineStart = this.stats.bytes;
  }

  push(chunk: Buffer): void {
    const chunkStart = this.stats.bytes;
    this.stats.bytes += chunk.length;
    // One UTF-8 check for the chunk's whole lines instead of one per line.
    const lastNl = chunk.lastIndexOf(NEWLINE);
    const held = this.pendingBytes > 0 || this.pendingTruncated;
    const from = held ? chunk.indexOf(NEWLINE) + 1 : 0;
    this.validFrom = from;
    this.validTo = this.decode === undefined && lastNl >= from && isUtf8(chunk.subarray(from, lastNl)) ? lastNl + 1 : -1;
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) {
        this.hold(chunk, start, chunk.length);
        break;
      }
      if (this.pendingBytes === 0 && !this.pendingTruncated && nl - start <= this.maxLineBytes) {
        this.emit(chunk, start, nl, false);
      } else {
        this.hold(chunk, start, nl);
        const joined = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
        const validTo = this.validTo;
        this.validTo = -1; // the joined copy is not the checked chunk
        this.emit(joined, 0, joined.length, this.pendingTruncated);
        this.validTo = validTo;
        this.pending = [];
        this.pendingBytes = 0;
        this.pendingTruncated = false;
      }
      start = nl + 1;
      this.lineStart = chunkStart + start;
    }
    this.validTo = -1;
  }

  /** Emits a held unterminated last line (end of input, or a live follower's idle timeout). */
  flushPartial(): void {
    if (this.pendingBytes === 0 && !this.pendingTruncated) return;
    const joined = Buffer.concat(this.pending, this.pendingBytes);
    this.validTo = -1;
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
    // Already cut: the rest of the line is dropped. (The cut may have backed off a character, leaving
    // room that bytes from further on must not fill.)
    if (this.pendingTruncated) return;
    const room = this.maxLineBytes - this.pendingBytes;
    if (end - start > room) {
      this.pendingTruncated = true;
      end = start + Math.max(0, room);
      // Do not cut inside a UTF-8 sequence: back off over continuation bytes, into the held bytes
      // if the character began there, as the cut of the whole line would (lineContentEnd).
      while (end > start && (chunk[end] & 0xc0) === 0x80) end--;
      if (end === start && (chunk[start] & 0xc0) === 0x80) this.dropHeldCharacter();
    }
    if (end > start) {
      // Copy: the caller may reuse its read buffer.
      this.pending.push(Buffer.from(chunk.subarray(start, end)));
      this.pendingBytes += end - start;
    }
  }

  /** Drops the held bytes of the last character, which the cap cuts: its lead byte and any after it. */
  private dropHeldCharacter(): void {
    while (this.pending.length > 0) {
      const piece = this.pending[this.pending.length - 1];
      let lead = piece.length - 1;
      while (lead >= 0 && (piece[lead] & 0xc0) === 0x80) lead--;
      if (lead > 0) {
        this.pendingBytes -= piece.length - lead;
        this.pending[this.pending.length - 1] = piece.subarray(0, lead);
        return;
      }
      this.pendingBytes -= piece.length;
      this.pending.pop();
      if (lead === 0) return;
    }
  }

  private emit(buf: Buffer, start: number, end: number, truncated: boolean): void {
    // A UTF-8 byte order mark before the first line (a file saved by a Windows editor or
    // PowerShell's Out-File) is no part of it: with it, the first record's start would not match.
    if (this.stats.lines === 0 && this.lineStart === 0 && this.decode === undefined && isBom(buf, start, end)) start += 3;
    const lineEnd = end;
    if (end - start > this.maxLineBytes) truncated = true;
    end = lineContentEnd(buf, start, end, this.maxLineBytes);
    let flags = 0;
    this.stats.lines++;
    if (truncated) {
      flags = LINE_TRUNCATED;
      this.stats.truncatedLines++;
    }
    if (this.decode !== undefined) {
      const text = this.decode(buf, start, end);
      if (text.includes('\ufffd')) {
        flags |= LINE_INVALID_UTF8;
        this.stats.invalidUtf8++;
      }
      this.onLine(lineOf(text, flags, this.stats.lines, this.lineStart));
      return;
    }
    // Known valid when the line lies in the chunk's checked range; else check this line alone.
    if (!(start >= this.validFrom && lineEnd < this.validTo) && !isUtf8(buf.subarray(start, end))) {
      flags |= LINE_INVALID_UTF8;
      this.stats.invalidUtf8++;
    }
    if (this.raw !== undefined) this.raw(buf, start, end, flags);
    else this.onLine(decodeLine(buf, start, end, flags, this.stats.lines, this.lineStart));
  }
}
