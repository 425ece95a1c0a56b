// Options shared by the library entry points, validated up front so that a mistake is one clear
// error with a stable code, before any file is opened.

import { LensError } from '../core/errors.js';
import { resolveEncoding } from '../core/text-encoding.js';
import { checkTimeZone } from '../core/timestamp.js';
import type { Grammars } from '../io/grammar-files.js';
import type { InputParserOptions } from '../core/input-parser.js';

export interface ReadOptions {
  /** Node name for a single input path. */
  node?: string;
  /** Node names for paths: `{ node1: 'logs/a/catalina.out' }` (a directory covers the files below it). */
  nodes?: Record<string, string>;
  /** IANA zone (or a UTC offset such as `+01:00`) the logs' zone-less times are read in; default the local zone. */
  tz?: string;
  /** Force a format grammar by name. */
  logFormat?: string;
  /** Day/month order of ambiguous dates like 06/11/2013; default: decided from each file's evidence. */
  dateOrder?: 'dmy' | 'mdy';
  /** Extra grammar files or directories. */
  grammars?: string[];
  /** Already loaded grammars (skips loading). */
  grammarSet?: Grammars;
  /** Also emit non-cluster records (type `record`). */
  all?: boolean;
  /** Keep events at or after this time: epoch ms, Date, ISO text or a relative age like `2h`. */
  since?: number | Date | string;
  until?: number | Date | string;
  maxLineBytes?: number;
  /**
   * The inputs' character encoding, a WHATWG label (`windows-1252` or `latin1`, `iso-8859-15`,
   * `gbk`, `big5`, `shift_jis`, `euc-kr`, ...); default UTF-8. Tomcat before 7.0.92, 8.5.36 and
   * 9.0.14 wrote catalina.out in the platform's charset. Other than UTF-8, every line is decoded
   * (no fast path).
   */
  encoding?: string;
  /**
   * Classify lines on their bytes and decode only the records that can yield an event (default
   * true; env CATALINA_LENS_FAST_PATH=0 turns the default off). Results are the same either way.
   */
  fastPath?: boolean;
  /**
   * On the fast path, find and classify lines with the WebAssembly line scanner where it applies
   * (default true; env CATALINA_LENS_LINE_SCAN=0 turns the default off). Results are the same.
   */
  lineScan?: boolean;
  /**
   * Read and line-scan large plain files (32 MiB and more) on a second thread once the fast path
   * scans them, so that this thread only handles the lines that matter (default: on with two or
   * more cores; env CATALINA_LENS_SCAN_THREAD=0 turns the default off). Results are the same.
   */
  scanThread?: boolean;
  /** The stream read for the path '-'; default process.stdin. */
  stdin?: NodeJS.ReadableStream;
  /**
   * Called as the inputs are read: bytes read so far and the inputs' total size on disk (0 when
   * unknown, e.g. stdin). Plain files advance chunk by chunk; a .gz file counts as read when it ends.
   * Called often (every chunk of every file): throttle what it prints.
   */
  onProgress?: (readBytes: number, totalBytes: number) => void;
}

export interface NormalisedReadOptions extends Omit<ReadOptions, 'since' | 'until'> {
  since?: number;
  until?: number;
}

export function validateReadOptions(opts: ReadOptions, now = Date.now()): NormalisedReadOptions {
  if (opts.tz !== undefined) checkTimeZone(opts.tz);
  if (opts.dateOrder !== undefined && opts.dateOrder !== 'dmy' && opts.dateOrder !== 'mdy') {
    throw invalid('dateOrder', 'must be "dmy" or "mdy"', opts.dateOrder);
  }
  if (opts.maxLineBytes !== undefined && (!Number.isInteger(opts.maxLineBytes) || opts.maxLineBytes < 16)) {
    throw invalid('maxLineBytes', 'must be an integer of at least 16', opts.maxLineBytes);
  }
  if (opts.encoding !== undefined) resolveEncoding(opts.encoding);
  if (opts.fastPath !== undefined && typeof opts.fastPath !== 'boolean') throw invalid('fastPath', 'must be true or false', opts.fastPath);
  if (opts.lineScan !== undefined && typeof opts.lineScan !== 'boolean') throw invalid('lineScan', 'must be true or false', opts.lineScan);
  if (opts.scanThread !== undefined && typeof opts.scanThread !== 'boolean') throw invalid('scanThread', 'must be true or false', opts.scanThread);
  if (opts.onProgress !== undefined && typeof opts.onProgress !== 'function') throw invalid('onProgress', 'must be a function', typeof opts.onProgress);
  if (opts.nodes !== undefined && (typeof opts.nodes !== 'object' || opts.nodes === null)) {
    throw invalid('nodes', 'must be an object of NAME: PATH', opts.nodes);
  }
  return {
    ...opts,
    since: opts.since === undefined ? undefined : parseTimeBound('since', opts.since, now),
    until: opts.until === undefined ? undefined : parseTimeBound('until', opts.until, now),
  };
}

const RELATIVE = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Epoch ms from a number, Date, ISO 8601 text, or an age before `now` like `90m`, `2h`, `7d`. */
export function parseTimeBound(name: string, value: number | Date | string, now: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.getTime();
  if (typeof value === 'string') {
    const rel = RELATIVE.exec(value.trim());
    if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2]];
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  throw invalid(name, 'must be an ISO 8601 time (2026-11-26T15:07:00Z) or an age like 90m, 2h, 7d', value);
}

function invalid(name: string, rule: string, got: unknown): LensError {
  return new LensError('INVALID_OPTION', `Invalid option ${name}: ${rule}, got ${JSON.stringify(got)}`, {
    reason: `${name} ${rule}`,
  });
}

/** What every parser of an input takes from the read options (file and node are per input). */
export function parserOptions(opts: NormalisedReadOptions, grammars: Grammars): Omit<InputParserOptions, 'file' | 'node'> {
  return {
    formats: grammars.formats,
    events: grammars.events,
    tz: opts.tz,
    logFormat: opts.logFormat,
    dateOrder: opts.dateOrder,
    all: opts.all,
    maxLineBytes: opts.maxLineBytes,
    fastPath: opts.fastPath,
    lineScan: opts.lineScan,
    encoding: opts.encoding,
  };
}
