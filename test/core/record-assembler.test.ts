import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, detectPrefix, splitPrefix } from '../../src/core/format-detect.js';
import { createRecordAssembler, MAX_KEPT_LINES } from '../../src/core/record-assembler.js';
import type { Line, LogRecord } from '../../src/core/types.js';
import { accounted, assemble, bundledFormats, CORPUS, iso, ROOT, toLines } from './format-test-helpers.js';
import { PUBLIC } from '../helpers/corpus.js';

const FIX = join(ROOT, 'test/fixtures/formats');
const fixture = (name: string): string => readFileSync(join(FIX, name), 'utf8');

const ONE = (ms: string, level: string, msg: string): string =>
  `26-Nov-2026 15:07:30.${ms} ${level} [main] org.apache.catalina.ha.tcp.SimpleTcpCluster.startInternal ${msg}`;

function collector(opts: Partial<Parameters<typeof createRecordAssembler>[0]> = {}) {
  const records: LogRecord[] = [];
  const unparsed: Line[] = [];
  const asm = createRecordAssembler(
    { formats: bundledFormats(), file: 'live.log', tz: 'UTC', ...opts },
    { record: (r) => records.push(r), unparsed: (l) => unparsed.push(l) },
  );
  return { asm, records, unparsed };
}

describe('record assembler: detection', () => {
  it('noise before the first record is unparsed; verbatim does not steal the input', () => {
    const a = assemble(fixture('noise-before-oneline.log'));
    expect(a.format).toBe('juli_oneline');
    expect(a.unparsed.map((l) => l.line)).toEqual([1]);
    expect(a.records).toHaveLength(3);
    expect(accounted(a)).toBe(a.lines);
  });

  it('falls back to VerbatimFormatter only when nothing else matches', () => {
    const a = assemble('Server version name:   Apache Tomcat/10.1.60 (Debian)\nServer built:          Sep 20 2026 11:06:01 UTC\n');
    expect(a.format).toBe('juli_verbatim');
    expect(a.records.map((r) => r.message)).toEqual(['Server version name:   Apache Tomcat/10.1.60 (Debian)', 'Server built:          Sep 20 2026 11:06:01 UTC']);
    expect(a.records[0].timeMs).toBeUndefined();
    // Without a fallback grammar the lines are unparsed.
    const none = assemble('just text\nmore text\n', { formats: bundledFormats().filter((f) => !f.fallback) });
    expect(none.format).toBeUndefined();
    expect(none.unparsed).toHaveLength(2);
    expect(none.records).toHaveLength(0);
  });

  it('a forced format is used as is', () => {
    const a = assemble('Server version name:   Apache Tomcat/10.1.60 (Debian)\n' + ONE('490', 'INFO', 'x') + '\n', { logFormat: 'juli_verbatim' });
    expect(a.format).toBe('juli_verbatim');
    expect(a.records).toHaveLength(2);
    expect(a.records[1].message).toBe(ONE('490', 'INFO', 'x'));
  });

  it('picks the format with the most record lines', () => {
    const json = fixture('json-throwable.log').trim().split('\n');
    const text = [ONE('001', 'INFO', 'a'), ...json, ...json, ...json].join('\n');
    const a = assemble(text);
    expect(a.format).toBe('juli_json');
    // The OneLine line before the first JSON record is a record of its own format.
    expect(a.unparsed).toHaveLength(0);
    expect(a.records.map((r) => r.format)).toEqual(['juli_oneline', ...Array(6).fill('juli_json')]);
    expect(a.records[0]).toMatchObject({ logger: 'org.apache.catalina.ha.tcp.SimpleTcpCluster', message: 'a' });
    expect(accounted(a)).toBe(a.lines);
    const r = detectFormat(text.split('\n'), bundledFormats());
    expect(r.scores[0]).toEqual({ name: 'juli_json', score: 6 });
    expect(r.scores.find((s) => s.name === 'juli_oneline')?.score).toBe(1);
  });

  it('decides early once one format is clearly it, so a live input streams', () => {
    const { asm, records } = collector({ detectLines: 1000 });
    for (let i = 0; i < 40; i++) asm.push({ text: ONE(String(100 + i), 'INFO', `m${i}`), line: i + 1, offset: i * 200 });
    expect(asm.format).toBe('juli_oneline');
    expect(records.length).toBeGreaterThan(20);
    asm.end();
    expect(records).toHaveLength(40);
  });

  it('flush() decides on what is buffered and emits the pending record', () => {
    const { asm, records, unparsed } = collector();
    asm.push({ text: ONE('001', 'SEVERE', 'Unable to start cluster.'), line: 1, offset: 0 });
    expect(asm.format).toBeUndefined();
    expect(records).toHaveLength(0);
    asm.flush();
    expect(asm.format).toBe('juli_oneline');
    expect(records).toHaveLength(1);
    // A trace line arriving after the record was flushed has nothing to attach to.
    asm.push({ text: '\tjava.lang.RuntimeException: late', line: 2, offset: 200 });
    asm.end();
    expect(unparsed.map((l) => l.line)).toEqual([2]);
  });

  it('flush() without any matching line keeps buffering (no premature fallback)', () => {
    const { asm, records, unparsed } = collector();
    asm.push({ text: 'NOTE: Picked up JDK_JAVA_OPTIONS:  --add-opens=java.base/java.lang=ALL-UNNAMED', line: 1, offset: 0 });
    asm.flush();
    expect(asm.format).toBeUndefined();
    asm.push({ text: ONE('001', 'INFO', 'Cluster is about to start'), line: 2, offset: 90 });
    asm.end();
    expect(asm.format).toBe('juli_oneline');
    expect(unparsed.map((l) => l.line)).toEqual([1]);
    expect(records).toHaveLength(1);
  });

  // A real stack trace longer than the detection window (the first 120 frame lines of a real
  // Tomcat 8.0 log), then a real Tomcat 10.1 node log: a catalina.out cut inside a trace, or one
  // that opens with the application's own output, as copytruncate rotation and `tail -c` leave it.
  const TRACE = readFileSync(join(PUBLIC, 'isaiasa-tomcat8.0.33-tomcat0-catalina.2019-05-21.log'), 'utf8')
    .split('\n')
    .filter((l) => /^\tat /.test(l))
    .slice(0, 120);
  const NODE_LOG = readFileSync(join(CORPUS, 'node-loss/tomcat1/catalina.out'), 'utf8');

  it('a fallback chosen because nothing matched gives way to the first start of another format', () => {
    const a = assemble(TRACE.join('\n') + '\n' + NODE_LOG);
    expect(a.format).toBe('juli_oneline');
    const oneLine = assemble(NODE_LOG);
    expect(a.records).toHaveLength(oneLine.records.length + 1); // the trace: one verbatim record
    expect(a.records[0]).toMatchObject({ format: 'juli_verbatim', line: 1, lineCount: 120 });
    expect(a.records.slice(1).map((r) => [r.line - 120, r.message, r.timeMs])).toEqual(oneLine.records.map((r) => [r.line, r.message, r.timeMs]));
    expect(a.unparsed).toHaveLength(0);
    expect(accounted(a)).toBe(a.lines);
  });

  it('one line that looks like another format inside a VerbatimFormatter log does not take it over', () => {
    const quoted = NODE_LOG.split('\n')[0];
    const lines = [...TRACE, quoted, ...TRACE, 'Server version name:   Apache Tomcat/10.1.60 (Debian)'];
    const a = assemble(lines.join('\n') + '\n');
    expect(a.format).toBe('juli_verbatim');
    expect(a.records.map((r) => r.line)).toEqual([1, 121, 242]);
    expect(accounted(a)).toBe(a.lines);
    // Two start lines in the window after it do.
    const b = assemble([...TRACE, quoted, quoted, ...TRACE].join('\n') + '\n');
    expect(b.format).toBe('juli_oneline');
    expect(b.records.map((r) => r.format)).toEqual(['juli_verbatim', 'juli_oneline', 'juli_oneline']);
    expect(accounted(b)).toBe(b.lines);
  });

  it('live: after an idle period the start line that reopened detection is not held back', () => {
    const { asm, records } = collector();
    TRACE.forEach((text, i) => asm.push({ text, line: i + 1, offset: i * 80 }));
    expect(asm.format).toBe('juli_verbatim');
    asm.push({ text: NODE_LOG.split('\n')[0], line: 121, offset: 121 * 80 });
    expect(asm.format).toBeUndefined(); // detecting again
    asm.flush();
    expect(asm.format).toBe('juli_oneline');
    expect(records.map((r) => r.line)).toEqual([1, 121]);
  });

  it('a forced fallback stays', () => {
    const a = assemble(TRACE.join('\n') + '\n' + NODE_LOG, { logFormat: 'juli_verbatim' });
    expect(a.format).toBe('juli_verbatim');
    expect(a.records.every((r) => r.format === 'juli_verbatim')).toBe(true);
  });

  it('validates options up front', () => {
    const sink = { record: () => {}, unparsed: () => {} };
    const formats = bundledFormats();
    expect(() => createRecordAssembler({ formats, file: 'f', logFormat: 'nope' }, sink)).toThrowError(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => createRecordAssembler({ formats, file: 'f', tz: 'Not/AZone' }, sink)).toThrowError(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => createRecordAssembler({ formats, file: 'f', dateOrder: 'ymd' as never }, sink)).toThrowError(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => createRecordAssembler({ formats, file: 'f', detectLines: 0 }, sink)).toThrowError(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => createRecordAssembler({ formats, file: 'f' }, sink)).not.toThrow(); // local zone
  });
});

describe('record assembler: multi-line records', () => {
  it('caps kept continuation and trace lines but counts them all', () => {
    const lines = [ONE('001', 'SEVERE', 'boom'), '\tjava.lang.RuntimeException: boom'];
    for (let i = 0; i < 1000; i++) lines.push(`\t\tat org.example.Deep.call${i}(Deep.java:${i})`);
    lines.push(ONE('002', 'INFO', 'after'));
    const a = assemble(lines.join('\n'));
    expect(a.records).toHaveLength(2);
    const r = a.records[0];
    expect(r.lineCount).toBe(1002);
    expect(r.trace).toHaveLength(MAX_KEPT_LINES);
    expect(r.omittedLines).toBe(1001 - MAX_KEPT_LINES);
    expect(accounted(a)).toBe(a.lines);

    const msg = [ONE('001', 'INFO', 'first'), ...Array.from({ length: 300 }, (_, i) => `line ${i}`)];
    const m = assemble(msg.join('\n')).records[0];
    expect(m.message.split('\n')).toHaveLength(1 + MAX_KEPT_LINES);
    expect(m.omittedLines).toBe(100);
    expect(m.lineCount).toBe(301);
  });

  it('trailing blank lines are counted but not kept; inner blank lines are kept', () => {
    const a = assemble([ONE('001', 'SEVERE', 'x'), ' java.lang.NullPointerException', '\tat a.B.c(B.java:1)', '', ONE('002', 'INFO', 'y')].join('\n'));
    expect(a.records[0].lineCount).toBe(4);
    expect(a.records[0].trace).toEqual([' java.lang.NullPointerException', '\tat a.B.c(B.java:1)']);
    const b = assemble([ONE('001', 'INFO', 'x'), '', 'z', '', ''].join('\n')); // ends with one blank line
    expect(b.records[0].message).toBe('x\n\nz');
    expect(b.records[0].lineCount).toBe(4);
  });

  it('a JUL header without its LEVEL line is no record start', () => {
    const text = [
      'Nov 26, 2026 3:12:27 PM org.apache.catalina.startup.VersionLoggerListener log',
      'INFO: Server version name:   Apache Tomcat/10.1.60 (Debian)',
      'Nov 26, 2026 3:12:28 PM org.apache.catalina.startup.Catalina start',
      'this is not a level line',
    ].join('\n');
    const a = assemble(text);
    expect(a.format).toBe('jul_simple');
    expect(a.records).toHaveLength(1);
    expect(a.records[0].lineCount).toBe(4);
    expect(a.records[0].message).toBe(
      'Server version name:   Apache Tomcat/10.1.60 (Debian)\nNov 26, 2026 3:12:28 PM org.apache.catalina.startup.Catalina start\nthis is not a level line',
    );
    // A header as the very last line: attached too.
    const b = assemble(text.split('\n').slice(0, 3).join('\n'));
    expect(b.records).toHaveLength(1);
    expect(b.records[0].lineCount).toBe(3);
  });

  it('JUL: a stack trace and the blank line after it belong to the record', () => {
    const a = assemble(
      [
        '06/11/2013 9:56:14 PM org.apache.catalina.ha.session.DeltaManager startInternal',
        'SEVERE: Manager [localhost#/manager]: failed',
        'java.lang.IllegalStateException: x',
        '\tat org.apache.catalina.ha.session.DeltaManager.startInternal(DeltaManager.java:10)',
        '',
        '06/11/2013 9:56:15 PM org.apache.catalina.ha.session.DeltaManager startInternal',
        'INFO: next',
      ].join('\n'),
    );
    expect(a.records.map((r) => r.lineCount)).toEqual([5, 2]);
    expect(a.records[0].trace).toHaveLength(2);
    expect(a.records[0].level).toBe('SEVERE');
  });

  it('SystemdFormatter: prefixed trace lines attach to their record', () => {
    const a = assemble(fixture('systemd-trace.log'));
    expect(a.format).toBe('debian_systemd');
    expect(a.records.map((r) => r.lineCount)).toEqual([1, 7, 1]);
    const r = a.records[1];
    expect(r.level).toBe('SEVERE');
    expect(r.message).toBe('Unable to start cluster.');
    expect(r.trace?.[0]).toMatch(/^org\.apache\.catalina\.tribes\.ChannelException/);
    expect(r.trace?.[1]).toBe('    at org.apache.catalina.tribes.group.ChannelCoordinator.internalStart(ChannelCoordinator.java:207)');
    expect(r.trace).toContain("Caused by: java.lang.IllegalArgumentException: Invalid value 'null'");
  });

  it('JsonFormatter: throwable becomes the trace; localised level; offsets', () => {
    const a = assemble(fixture('json-throwable.log'), { tz: 'Australia/Sydney' });
    expect(a.format).toBe('juli_json');
    expect(a.records[0].trace).toHaveLength(4);
    expect(a.records[0]).toMatchObject({ level: 'SEVERE', logger: 'org.apache.catalina.ha.tcp.SimpleTcpCluster', method: 'startInternal', tzOffsetMin: 0 });
    expect(a.records[1]).toMatchObject({ level: 'INFO', levelRaw: 'INFOS', tzOffsetMin: 60, message: 'Pausing ProtocolHandler ["http-nio-127.0.0.11-8081"]\nsecond line' });
    expect(iso(a.records[1])).toBe('2026-11-26T15:14:58.470Z');
  });

  it('rsyslog: severities, a dropped leading space, prefixed trace lines', () => {
    const a = assemble(fixture('rsyslog-trace.log'));
    expect(a.format).toBe('debian_rsyslog');
    expect(a.records.map((r) => [r.levelRaw, r.level, r.lineCount])).toEqual([
      ['[info]', 'INFO', 1],
      ['[crit]', 'SEVERE', 3],
      ['[warning]', 'WARNING', 1],
      ['[debug]', 'FINE', 1],
    ]);
    expect(a.records[2].message).toBe('Member send is failing for:[tcp://127.0.0.11:4001] ; Setting to suspect and retrying.');
    expect(iso(a.records[0])).toBe('2026-11-26T14:20:11.000Z');
  });

  it('learns the day/month order from a later line before emitting the first record', () => {
    const a = assemble(fixture('mdy-evidence.log'));
    expect(iso(a.records[0])).toBe('2013-11-06T21:55:47.000Z'); // 11/06 read month-first, because of 11/13
    expect(iso(a.records[1])).toBe('2013-11-13T21:56:14.000Z');
    const dmy = assemble(fixture('mdy-evidence.log'), { dateOrder: 'dmy' });
    expect(iso(dmy.records[0])).toBe('2013-06-11T21:55:47.000Z');
    expect(iso(dmy.records[1])).toBe('2013-11-13T21:56:14.000Z');
  });
});

describe('record assembler: prefixes', () => {
  it('detects a consistent docker-compose prefix', () => {
    expect(detectPrefix(['tomcat-node-1    | FINE: a', 'tomcat-node-2    | FINE: b', ''])).toBe(true);
    expect(detectPrefix(['tomcat-node-1    | FINE: a', 'FINE: b'])).toBe(false);
    expect(detectPrefix([ONE('001', 'INFO', 'a | b')])).toBe(false);
    expect(splitPrefix('tomcat-node-1    | FINE: a')).toEqual(['tomcat-node-1', 'FINE: a']);
  });

  it('strips the prefix from OneLine lines too; a continuation from another service is not attached', () => {
    const a = assemble(
      [
        `node-a  | ${ONE('001', 'SEVERE', 'boom')}`,
        'node-a  | \tjava.lang.RuntimeException: boom',
        'node-b  | \tat x.Y.z(Y.java:1)',
        `node-b  | ${ONE('002', 'INFO', 'hello')}`,
      ].join('\n'),
    );
    expect(a.format).toBe('juli_oneline');
    expect(a.records.map((r) => [r.prefix, r.lineCount, r.message])).toEqual([
      ['node-a', 2, 'boom'],
      ['node-b', 1, 'hello'],
    ]);
    expect(a.unparsed.map((l) => l.line)).toEqual([3]);
    expect(accounted(a)).toBe(a.lines);
  });
});

describe('record assembler: records', () => {
  it('carry file, line, offset, format and pattern', () => {
    const lines = toLines(fixture('noise-before-oneline.log'));
    const a = assemble(lines, { file: 'logs/node1/catalina.out' });
    expect(a.records[0]).toMatchObject({ file: 'logs/node1/catalina.out', line: 2, offset: lines[1].offset, format: 'juli_oneline', pattern: 'std' });
    expect(a.records[0].offset).toBe(Buffer.byteLength(lines[0].text) + 1);
  });

  it('an impossible date yields a record without time', () => {
    const a = assemble('30-Feb-2026 15:07:30.490 INFO [main] org.apache.catalina.startup.Catalina.start Server startup in [692] milliseconds\n');
    expect(a.records).toHaveLength(1);
    expect(a.records[0].timeMs).toBeUndefined();
    expect(a.records[0].tzOffsetMin).toBeUndefined();
    expect(a.records[0].message).toBe('Server startup in [692] milliseconds');
  });

  it('an unknown level word keeps levelRaw without a level', () => {
    const a = assemble(ONE('001', 'INFORMAZIONI', 'x'));
    expect(a.records[0].levelRaw).toBe('INFORMAZIONI');
    expect(a.records[0].level).toBeUndefined();
  });
});

describe('record assembler: pushStart (a start line whose fields were read on bytes)', () => {
  // Real lines of the isaiasa Tomcat 8.0 day (a OneLineFormatter log).
  const real = readFileSync(join(PUBLIC, 'isaiasa-tomcat8.0.33-tomcat0-catalina.2019-05-21.log'), 'utf8').split('\n');
  const lines = real.slice(0, 600).map((text, i) => ({ text, line: i + 1, offset: 0 }));
  const start = /^(\S+ \S+) (\S+) \[(.*?)\] ([^\s[\]]+)\.([^\s.]+)(?: (.*))?$/;
  const fieldsOf = (text: string) => {
    const m = start.exec(text)!;
    return { time: m[1], level: m[2], thread: m[3], logger: m[4], method: m[5], message: m[6] };
  };

  it('builds the record push builds, without matching the line again', () => {
    const pushed = collector();
    for (const l of lines) pushed.asm.push(l);
    pushed.asm.end();
    const taken = collector();
    let took = 0;
    for (const l of lines) {
      if (start.test(l.text) && taken.asm.format !== undefined && taken.asm.pushStart(l, fieldsOf(l.text), false)) took++;
      else taken.asm.push(l);
    }
    taken.asm.end();
    expect(took).toBeGreaterThan(10);
    expect(taken.records).toEqual(pushed.records);
  });

  it('declines, doing nothing, before the format is decided and while a line waits for its second line', () => {
    const { asm, records } = collector();
    expect(asm.pushStart(lines[0], fieldsOf(lines[0].text), false)).toBe(false);
    asm.end();
    expect(records).toEqual([]);
    // A file that mixes formats: a JUL header (the first line of a real Tomcat 7 log) is held until its `LEVEL:` line.
    const mixed = collector();
    for (const l of lines) mixed.asm.push(l);
    expect(mixed.asm.format).toBe('juli_oneline');
    const julHeader = readFileSync(join(PUBLIC, 'icicimov-tomcat7-aws-static.log'), 'utf8').split('\n')[0];
    expect(julHeader).toMatch(/^\d\d\/\d\d\/\d{4} \d+:\d\d:\d\d [AP]M org\.apache\.catalina\.ha\.tcp\.SimpleTcpCluster memberAdded$/);
    mixed.asm.push({ text: julHeader, line: 601, offset: 0 });
    const next = lines.find((l) => start.test(l.text))!;
    expect(mixed.asm.pushStart(next, fieldsOf(next.text), false)).toBe(false);
  });
});
