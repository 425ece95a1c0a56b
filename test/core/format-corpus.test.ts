// Every corpus catalina.out / catalina.*.log and every public/*.log: the right format is detected,
// every line is accounted for exactly once, and real lines yield the right fields.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRecordAssembler } from '../../src/core/record-assembler.js';
import type { Line, LogRecord } from '../../src/core/types.js';
import { accounted, assemble, bundledFormats, CORPUS, iso, toLines, type Assembled } from './format-test-helpers.js';

function expectedFormat(rel: string): string {
  if (rel.startsWith('public/')) {
    if (/icicimov|yanwuyang|tomitribe/.test(rel)) return 'jul_simple';
    if (/yunghun97/.test(rel)) return 'logback_embedded';
    return 'juli_oneline';
  }
  const scenario = rel.split('/')[0];
  if (scenario.startsWith('simpleformatter-')) return 'jul_simple';
  if (rel.endsWith('catalina.out')) {
    if (scenario === 'json') return 'juli_json';
    if (scenario === 'debian-systemdformatter') return 'debian_systemd';
  }
  return 'juli_oneline';
}

function corpusFiles(): string[] {
  const out: string[] = [];
  for (const scenario of readdirSync(CORPUS).sort()) {
    const dir = join(CORPUS, scenario);
    if (scenario === 'public') {
      for (const f of readdirSync(dir).sort()) if (f.endsWith('.log')) out.push(`public/${f}`);
      continue;
    }
    let nodes: string[] = [];
    try {
      nodes = readdirSync(dir).filter((n) => /^tomcat\d+$/.test(n)).sort();
    } catch {
      continue;
    }
    for (const node of nodes) {
      for (const f of readdirSync(join(dir, node)).sort()) {
        if (f === 'catalina.out' || /^catalina\..*\.log$/.test(f)) out.push(`${scenario}/${node}/${f}`);
      }
    }
  }
  return out;
}

const files = existsSync(CORPUS) ? corpusFiles() : [];
const cache = new Map<string, Assembled>();
function run(rel: string, opts: Parameters<typeof assemble>[1] = {}): Assembled {
  const key = rel + JSON.stringify(opts);
  let a = cache.get(key);
  if (!a) {
    a = assemble(readFileSync(join(CORPUS, rel), 'utf8'), { file: rel, ...opts });
    cache.set(key, a);
  }
  return a;
}
function at(a: Assembled, line: number): LogRecord {
  const r = a.records.find((x) => x.line === line);
  if (!r) throw new Error(`no record starts at line ${line}`);
  return r;
}

describe.skipIf(files.length === 0)('corpus files', () => {
  it('the corpus has every kind of file', () => {
    expect(files.length).toBeGreaterThan(60);
    expect(new Set(files.map(expectedFormat))).toEqual(
      new Set(['juli_oneline', 'jul_simple', 'juli_json', 'debian_systemd', 'logback_embedded']),
    );
  });

  describe.each(files)('%s', (rel) => {
    it(`is detected as ${expectedFormat(rel)}, every line accounted for`, () => {
      const a = run(rel);
      expect(a.format).toBe(expectedFormat(rel));
      expect(accounted(a)).toBe(a.lines);
      expect(a.unparsed).toEqual([]);
      // Records in input order, each starting after the previous one's lines.
      let next = 1;
      for (const r of a.records) {
        expect(r.line).toBeGreaterThanOrEqual(next);
        next = r.line + r.lineCount;
        expect(r.file).toBe(rel);
        expect(r.level, `${rel}:${r.line} level ${r.levelRaw}`).toBeDefined();
      }
      if (!['debian_systemd'].includes(a.format!) && !rel.includes('tomitribe')) {
        const untimed = a.records.filter((r) => r.timeMs === undefined && r.pattern !== 'bare');
        expect(untimed).toEqual([]);
      }
    });
  });

  it('OneLine: fields, tz UTC and Australia/Sydney', () => {
    const a = run('steady/tomcat1/catalina.out');
    const r = at(a, 1);
    expect(r).toMatchObject({
      level: 'INFO',
      levelRaw: 'INFO',
      thread: 'main',
      logger: 'org.apache.catalina.startup.VersionLoggerListener',
      method: 'log',
      message: 'Server version name:   Apache Tomcat/10.1.60 (Debian)',
      format: 'juli_oneline',
      pattern: 'std',
      tzOffsetMin: 0,
      lineCount: 1,
    });
    expect(iso(r)).toBe('2026-11-26T15:07:30.490Z');
    const member = a.records.find((x) => x.method === 'memberAdded')!;
    expect(member.thread).toBe('Tribes-Task-Receiver[Catalina-Channel]-3');
    expect(member.logger).toBe('org.apache.catalina.ha.tcp.SimpleTcpCluster');
    expect(member.message).toMatch(/^Replication member added:\[org\.apache\.catalina\.tribes\.membership\.StaticMember\[tcp:\/\/127\.0\.0\.12:4002,/);

    const syd = at(run('steady/tomcat1/catalina.out', { tz: 'Australia/Sydney' }), 1);
    expect(syd.tzOffsetMin).toBe(660); // AEDT in November
    expect(iso(syd)).toBe('2026-11-26T04:07:30.490Z');
    const ny = at(run('steady/tomcat1/catalina.out', { tz: 'America/New_York' }), 1);
    expect(ny.tzOffsetMin).toBe(-300);
    expect(iso(ny)).toBe('2026-11-26T20:07:30.490Z');
  });

  it('OneLine: new-form stack trace (TAB-indented) attaches to its record', () => {
    const a = run('multicast-bad-bind/tomcat1/catalina.out');
    const r = at(a, 43);
    expect(r.level).toBe('SEVERE');
    expect(r.message).toBe('Unable to start cluster.');
    expect(r.lineCount).toBe(36);
    expect(r.trace?.[0]).toMatch(/^\torg\.apache\.catalina\.tribes\.ChannelException: java\.lang\.IllegalArgumentException/);
    expect(r.trace).toContain("\tCaused by: java.lang.IllegalArgumentException: Invalid value 'null'");
    expect(at(a, 79).method).toBe('start');
  });

  it('OneLine (8.0.33): old-form stack trace and its blank line; multi-line messages; Korean level', () => {
    const a = run('public/isaiasa-tomcat8.0.33-tomcat0-catalina.2019-05-21.log');
    const r = at(a, 6691);
    expect(r.lineCount).toBe(16); // record line + 14 trace lines + the blank line
    expect(r.trace?.length).toBe(14);
    expect(r.trace?.[0]).toBe(' java.net.BindException: Address already in use (Bind failed)');
    expect(r.message).toBe('StandardServer.await: create[localhost:8005]: ');
    expect(iso(r)).toBe('2019-05-21T16:00:29.597Z');
    expect(at(a, 6707).line).toBe(6707);

    const m = at(a, 3652);
    expect(m.message).toBe('HHH000204: Processing PersistenceUnitInfo [\n\tname: default\n\t...]');
    expect(m.trace).toBeUndefined();

    const first = at(a, 30);
    expect(first.trace?.some((t) => t.startsWith('Caused by: java.net.SocketException: Not a multicast address'))).toBe(true);

    const ko = at(run('public/has3ong-tomcat9-was2-ko.log'), 1);
    expect(ko).toMatchObject({ level: 'INFO', levelRaw: '정보', thread: 'Membership-MemberAdded.', method: 'memberAdded' });
    expect(ko.message.startsWith('복제 멤버가 추가됨: [')).toBe(true);
  });

  it('JUL SimpleFormatter: JDK 17 en and fr, custom dd/MM/yyyy', () => {
    const en = run('simpleformatter-default/tomcat1/catalina.out');
    expect(en.records.length * 2).toBe(en.lines);
    expect(at(en, 1)).toMatchObject({ lineCount: 2, level: 'INFO', logger: 'org.apache.catalina.startup.VersionLoggerListener', method: 'log' });
    expect(iso(at(en, 1))).toBe('2026-11-26T15:12:27.000Z');

    const fr = run('simpleformatter-fr/tomcat1/catalina.out');
    expect(iso(at(fr, 1))).toBe('2026-11-26T15:13:27.000Z');
    expect(at(fr, 1).levelRaw).toBe('INFOS');
    expect(fr.records.filter((r) => r.levelRaw === 'GRAVE').every((r) => r.level === 'SEVERE')).toBe(true);
    expect(fr.records.filter((r) => r.levelRaw === 'AVERTISSEMENT').every((r) => r.level === 'WARNING')).toBe(true);

    const dd = run('simpleformatter-ddmmyyyy/tomcat1/catalina.out');
    expect(iso(at(dd, 1))).toBe('2026-11-26T15:13:07.000Z');
    // 26/11 is only readable day-first: forcing mdy still reads unambiguous dates right.
    expect(iso(at(run('simpleformatter-ddmmyyyy/tomcat1/catalina.out', { dateOrder: 'mdy' }), 1))).toBe('2026-11-26T15:13:07.000Z');
  });

  it('JUL SimpleFormatter: JDK 6 en_AU with the class name missing on one header', () => {
    const a = run('public/icicimov-tomcat7-aws-static.log');
    expect(a.records).toHaveLength(6);
    expect(iso(a.records[0])).toBe('2013-11-06T21:55:47.000Z'); // ambiguous 06/11: dmy by default
    const last = a.records[5];
    expect(last).toMatchObject({ pattern: 'header_no_class', logger: 'org.apache.catalina.ha.session', method: 'waitForSendAllSessions', lineCount: 2 });
    expect(last.message).toBe('Manager [localhost#/manager]; session state send at 11/6/13 9:56 PM received in 143 ms.');
    const mdy = run('public/icicimov-tomcat7-aws-static.log', { dateOrder: 'mdy' });
    expect(iso(mdy.records[0])).toBe('2013-06-11T21:55:47.000Z');
  });

  it('JUL SimpleFormatter: JDK 6 zh_CN, starting mid-record', () => {
    const a = run('public/yanwuyang-tomcat6-zh_CN-2L-JUL.log'); // CRLF line ends, stripped by framing
    expect(a.records.map((r) => r.lineCount)).toEqual([1, 2, 2]);
    expect(a.records[0]).toMatchObject({ pattern: 'bare', level: 'INFO', levelRaw: '信息' });
    expect(a.records[0].timeMs).toBeUndefined();
    expect(iso(a.records[1])).toBe('2015-01-04T19:55:30.000Z');
    expect(a.records[1]).toMatchObject({ logger: 'org.apache.catalina.tribes.transport.ReceiverBase', method: 'bind', message: 'Receiver Server Socket bound to:/127.0.0.1:4000' });
    expect(a.records[2]).toMatchObject({ level: 'WARNING', levelRaw: '警告', method: 'getAllClusterSessions' });
    expect(iso(a.records[2])).toBe('2015-01-04T19:56:34.000Z');
  });

  it('docker-compose prefixes are stripped into record.prefix; header-less JUL lines are records', () => {
    const a = run('public/tomitribe-docker-compose-fine.log');
    expect(a.records).toHaveLength(21);
    expect(a.records[0]).toMatchObject({
      prefix: 'tomcat-node-1',
      level: 'FINE',
      pattern: 'bare',
      message: 'Manager [localhost#/session-replication] send new session (4CF1497FA5FEB5CD187F0FF21A3769B8.node1)',
    });
    expect(a.records[2].prefix).toBe('tomcat-node-2');
    expect(a.records[9]).toMatchObject({ level: 'INFO', prefix: 'tomcat-node-1' });
  });

  it('JsonFormatter: offset time, class → logger', () => {
    const a = run('json/tomcat1/catalina.out');
    expect(at(a, 1)).toMatchObject({
      level: 'INFO',
      thread: 'main',
      logger: 'org.apache.catalina.startup.VersionLoggerListener',
      method: 'log',
      message: 'Server version name:   Apache Tomcat/10.1.60 (Debian)',
      tzOffsetMin: 0,
    });
    expect(iso(at(a, 1))).toBe('2026-11-26T15:13:47.801Z');
    // The explicit offset wins over the tz option.
    expect(iso(at(run('json/tomcat1/catalina.out', { tz: 'Australia/Sydney' }), 1))).toBe('2026-11-26T15:13:47.801Z');
    // The same records in the OneLine file carry the same times (host zone UTC).
    const one = run('json/tomcat1/catalina.2026-11-26.log');
    expect(one.records.map((r) => r.timeMs)).toEqual(a.records.map((r) => r.timeMs));
    expect(one.records.map((r) => r.message)).toEqual(a.records.map((r) => r.message));
  });

  it('Debian SystemdFormatter: priority prefixes → levels, no time', () => {
    const a = run('debian-systemdformatter/tomcat1/catalina.out');
    expect(at(a, 1)).toMatchObject({ level: 'INFO', levelRaw: '<6>', message: 'Server version name:   Apache Tomcat/10.1.60 (Debian)' });
    const severe = a.records.filter((r) => r.levelRaw === '<2>');
    expect(severe.length).toBeGreaterThan(0);
    expect(severe.every((r) => r.level === 'SEVERE')).toBe(true);
    const same = run('debian-systemdformatter/tomcat1/catalina.2026-11-26.log');
    expect(same.records.map((r) => r.message)).toEqual(a.records.map((r) => r.message));
    expect(same.records.map((r) => r.level)).toEqual(a.records.map((r) => r.level));
  });

  it('logback (Spring Boot): abbreviated loggers, traces and multi-line messages', () => {
    const n1 = run('public/yunghun97-springboot-tomcat9-node1-rollingfile.log');
    expect(at(n1, 27)).toMatchObject({ level: 'INFO', thread: 'Membership-MemberAdded', logger: 'o.a.c.h.t.SimpleTcpCluster' });
    expect(at(n1, 27).method).toBeUndefined();
    expect(iso(at(n1, 27))).toBe('2022-11-23T14:35:01.087Z');
    const n2 = run('public/yunghun97-springboot-tomcat9-node2-rollingfile.log');
    const dbg = at(n2, 31);
    expect(dbg.level).toBe('FINE');
    expect(dbg.lineCount).toBe(40);
    expect(dbg.trace?.[0]).toMatch(/^org\.apache\.tomcat\.jni\.LibraryNotFoundError: /);
    const err = at(n2, 1108);
    expect(err).toMatchObject({ level: 'SEVERE', lineCount: 34 });
    expect(err.message.split('\n')[3]).toBe('APPLICATION FAILED TO START');
    expect(at(n2, 1460).logger).toBe('o.a.c.c.C.[.[.[.[dispatcherServlet]');
  });

  it('flush after every line (a slow live follower) still accounts for every line', () => {
    for (const rel of ['multicast-bad-bind/tomcat1/catalina.out', 'public/icicimov-tomcat7-aws-static.log', 'public/tomitribe-docker-compose-fine.log']) {
      const lines = toLines(readFileSync(join(CORPUS, rel), 'utf8'));
      const records: LogRecord[] = [];
      const unparsed: Line[] = [];
      const asm = createRecordAssembler({ formats: bundledFormats(), file: rel, tz: 'UTC', detectLines: 5 }, {
        record: (r) => records.push(r),
        unparsed: (l) => unparsed.push(l),
      });
      for (const l of lines) {
        asm.push(l);
        asm.flush();
      }
      asm.end();
      expect(asm.format).toBe(expectedFormat(rel));
      expect(records.reduce((n, r) => n + r.lineCount, 0) + unparsed.length).toBe(lines.length);
    }
  });
});
