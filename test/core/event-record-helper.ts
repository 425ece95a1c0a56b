// TEST-ONLY helper: turns real log lines into LogRecords for the event tests. It is NOT the record
// assembler (src/core/record-assembler.ts is written separately); it knows just enough of the formats
// in ../shared/corpus to hand the recogniser a message, a logger and a time.

import { readFileSync } from 'node:fs';
import type { Level, LogRecord } from '../../src/core/types.js';

const LEVEL_WORDS: Record<string, Level> = {
  SEVERE: 'SEVERE', WARNING: 'WARNING', WARN: 'WARNING', INFO: 'INFO', CONFIG: 'CONFIG', FINE: 'FINE', FINER: 'FINER', FINEST: 'FINEST',
  DEBUG: 'FINE', ERROR: 'SEVERE', TRACE: 'FINER',
  정보: 'INFO', 경고: 'WARNING', 심각: 'SEVERE', 信息: 'INFO', 警告: 'WARNING', 严重: 'SEVERE', 情報: 'INFO', 重大: 'SEVERE',
  INFOS: 'INFO', AVERTISSEMENT: 'WARNING', GRAVE: 'SEVERE', PRÉCIS: 'FINE',
};
const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

/** OneLineFormatter: `dd-MMM-yyyy HH:mm:ss.SSS LEVEL [thread] class.method message` (thread may hold brackets). */
const ONELINE = /^(\d{2})-(\w{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2})\.(\d{3}) (\S+) \[(.*?)\] ((?:[\w$]+\.)+)([\w$<>]+) (.*)$/;
/** Spring Boot logback: `[INFO ] 2022-11-23 14:35:01.087 [thread][File.java] o.a.c.h.t.SimpleTcpCluster - message`. */
const LOGBACK = /^\[(\w+) *\] (\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3}) \[(.*?)\]\[[^\]]*\] (\S+) - (.*)$/;
/** SimpleFormatter line 2: `LEVEL: message` (localised level word). */
const JUL_MESSAGE = /^([^\s:]+): (.*)$/;
/** SimpleFormatter line 1: `<date> <time> [AM|PM] class method` (the date is locale-dependent). */
const JUL_HEADER = /^(.*\d) (?:[AP]M |上午 |下午 |오전 |오후 )?((?:[\w$]+\.)+[\w$]+) ([\w$<>]+)$/;

export interface HelperRecord extends LogRecord {
  /** Physical line text the record started on (for reporting). */
  text: string;
}

function base(file: string, line: number, text: string): HelperRecord {
  return { file, line, lineCount: 1, offset: 0, message: '', format: 'test-helper', pattern: 'test', text };
}

/** Parses one OneLineFormatter line, or returns undefined. */
export function oneLineRecord(text: string, file = 'test.log', line = 1): HelperRecord | undefined {
  const m = ONELINE.exec(text);
  if (!m) return undefined;
  const [, dd, mon, yyyy, hh, mi, ss, ms, lvl, thread, cls, method, message] = m;
  const rec = base(file, line, text);
  rec.timeMs = Date.UTC(+yyyy, MONTHS[mon], +dd, +hh, +mi, +ss, +ms);
  rec.tzOffsetMin = 0;
  rec.levelRaw = lvl;
  rec.level = LEVEL_WORDS[lvl];
  rec.thread = thread;
  rec.logger = cls.slice(0, -1);
  rec.method = method;
  rec.message = message;
  return rec;
}

/** Reads a whole file into records (OneLine, logback, two-line SimpleFormatter, `prefix | LEVEL: msg`). */
export function readRecords(file: string): HelperRecord[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: HelperRecord[] = [];
  let header: { logger: string; method: string } | undefined;
  lines.forEach((raw, i) => {
    const text = raw.replace(/\r$/, '');
    const n = i + 1;
    const one = oneLineRecord(text, file, n);
    if (one) {
      out.push(one);
      header = undefined;
      return;
    }
    const lb = LOGBACK.exec(text);
    if (lb) {
      const [, lvl, y, mo, d, h, mi, s, ms, thread, logger, message] = lb;
      const rec = base(file, n, text);
      rec.timeMs = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, +ms);
      rec.tzOffsetMin = 0;
      rec.level = LEVEL_WORDS[lvl];
      rec.thread = thread;
      rec.logger = logger;
      rec.message = message;
      out.push(rec);
      header = undefined;
      return;
    }
    const hd = JUL_HEADER.exec(text);
    if (hd && !text.includes(': ')) {
      header = { logger: hd[2], method: hd[3] };
      return;
    }
    const body = text.includes(' | ') ? text.slice(text.indexOf(' | ') + 3) : text;
    const jm = JUL_MESSAGE.exec(body);
    if (jm && LEVEL_WORDS[jm[1]]) {
      const rec = base(file, n, text);
      rec.level = LEVEL_WORDS[jm[1]];
      rec.levelRaw = jm[1];
      if (header) {
        rec.logger = header.logger;
        rec.method = header.method;
      }
      rec.message = jm[2];
      out.push(rec);
      header = undefined;
    }
  });
  return out;
}
