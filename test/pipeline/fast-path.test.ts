// The archive fast path (lines classified on bytes, only records that can yield an event decoded)
// must give exactly what the general path gives, on every real log of the corpus; and it must
// really skip the decoding of other records.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test, vi } from 'vitest';
import { clusterLoggerBytes, spaceAt } from '../../src/core/cluster-prefilter.js';
import { isClusterLogger } from '../../src/core/event-recogniser.js';
import { InputParser, fastPathDefault } from '../../src/core/input-parser.js';
import type { ClusterEvent } from '../../src/core/types.js';
import { loadGrammarsSync } from '../../src/io/grammar-files.js';
import { collectEvents } from '../../src/pipeline/read-events.js';
import { CORPUS, corpusLogFiles, PUBLIC } from '../helpers/corpus.js';

const files = corpusLogFiles();
const grammars = loadGrammarsSync();

function parse(data: Buffer, fastPath: boolean, chunk = 1 << 20, file = 'x.log', lineScan = true): { parser: InputParser; events: ClusterEvent[] } {
  const events: ClusterEvent[] = [];
  const parser = new InputParser({ file, node: 'n', formats: grammars.formats, events: grammars.events, tz: 'UTC', fastPath, lineScan }, (ev) =>
    events.push(ev),
  );
  for (let i = 0; i < data.length; i += chunk) parser.push(data.subarray(i, i + chunk));
  parser.end();
  return { parser, events };
}

/** `parse(data, true, chunk)`, and the text of every line the parser decoded on the way. */
function parseFastDecoding(data: Buffer, chunk = 1 << 20): { fast: ReturnType<typeof parse>; decoded: string[] } {
  const decode = vi.spyOn(InputParser.prototype as unknown as { decode: (...a: unknown[]) => { text: string } }, 'decode');
  try {
    const fast = parse(data, true, chunk);
    return { fast, decoded: decode.mock.results.map((r) => r.value.text) };
  } finally {
    decode.mockRestore();
  }
}

test('the corpus has files of several formats', () => {
  expect(files.length).toBeGreaterThan(60);
});

test('OneLineFormatter logs of the corpus go through the line-scan kernel', () => {
  let scanned = 0;
  for (const f of files) if (parse(readFileSync(f), true, 1 << 20, f).parser.scanning) scanned++;
  expect(scanned).toBeGreaterThan(10);
});

describe.each(files.map((f) => [f.slice(CORPUS.length + 1), f]))('%s', (_name, file) => {
  test('same events and accounting with and without the fast path and its line scan (whole file, and in small chunks)', () => {
    const data = readFileSync(file);
    const slow = parse(data, false, 1 << 20, file);
    for (const chunk of [1 << 20, 4093, 97]) {
      for (const lineScan of [true, false]) {
        const fast = parse(data, true, chunk, file, lineScan);
        expect(fast.parser.stats).toEqual(slow.parser.stats);
        expect(fast.events).toEqual(slow.events);
        if (!lineScan) expect(fast.parser.scanning).toBe(false);
      }
    }
  });
});

test('collectEvents over the whole corpus: identical events and per-input accounting', async () => {
  const fast = await collectEvents(files, { tz: 'UTC', fastPath: true });
  const slow = await collectEvents(files, { tz: 'UTC', fastPath: false });
  expect(fast.inputs).toEqual(slow.inputs);
  expect(fast.events).toEqual(slow.events);
  expect(fast.events.length).toBeGreaterThan(1000);
});

test('an input that opens with a long stack trace: the fallback gives way, on both paths, in any chunking', () => {
  // The first 120 frame lines of a real Tomcat 8.0 log, then a real Tomcat 10.1 node log.
  const frames = readFileSync(join(PUBLIC, 'isaiasa-tomcat8.0.33-tomcat0-catalina.2019-05-21.log'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('\tat '))
    .slice(0, 120);
  const nodeLog = readFileSync(join(CORPUS, 'node-loss/tomcat1/catalina.out'));
  const data = Buffer.concat([Buffer.from(frames.join('\n') + '\n'), nodeLog]);
  const alone = parse(nodeLog, false);
  const slow = parse(data, false);
  expect(slow.parser.format).toBe('juli_oneline');
  expect(slow.events.map((e) => [e.type, e.line - 120])).toEqual(alone.events.map((e) => [e.type, e.line]));
  for (const chunk of [1 << 20, 4093, 97]) {
    const fast = parse(data, true, chunk);
    expect(fast.parser.stats).toEqual(slow.parser.stats);
    expect(fast.events).toEqual(slow.events);
    expect(fast.parser.onBytes).toBe(true);
  }
});

test('a UTF-8 byte order mark before a real log: the same records and events as without it, on both paths', () => {
  const log = readFileSync(join(CORPUS, 'node-loss/tomcat1/catalina.out'));
  const plain = parse(log, false);
  const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), log]);
  for (const fastPath of [false, true]) {
    const r = parse(withBom, fastPath, 97);
    expect(r.events).toEqual(plain.events);
    expect({ ...r.parser.stats, bytes: 0 }).toEqual({ ...plain.parser.stats, bytes: 0 });
  }
});

describe('a file that mixes formats: each record is read with its own format', () => {
  // Real node logs of the corpus one after the other, as a catalina.out appended to across an
  // upgrade (Tomcat 7's two-line SimpleFormatter, then 8.5's OneLineFormatter) or a formatter change.
  const piece = (rel: string) => readFileSync(join(CORPUS, rel));
  const cases: Array<[string, string[]]> = [
    ['SimpleFormatter, then OneLineFormatter', ['simpleformatter-default/tomcat1/catalina.out', 'node-loss/tomcat1/catalina.out']],
    ['OneLineFormatter, then SimpleFormatter', ['node-loss/tomcat1/catalina.out', 'simpleformatter-default/tomcat1/catalina.out']],
    ['OneLineFormatter, then JsonFormatter, then OneLineFormatter', ['steady/tomcat1/catalina.out', 'json/tomcat1/catalina.out', 'node-loss/tomcat2/catalina.out']],
  ];
  test.each(cases)('%s', (_name, rels) => {
    const pieces = rels.map(piece);
    const expected: Array<[string, number, string, number | undefined]> = [];
    let lineBase = 0;
    for (const p of pieces) {
      for (const e of parse(p, false).events) expected.push([e.type, e.line + lineBase, e.message, e.timeMs]);
      lineBase += p.toString('utf8').split('\n').length - 1;
    }
    const data = Buffer.concat(pieces);
    const slow = parse(data, false);
    expect(slow.events.map((e) => [e.type, e.line, e.message, e.timeMs])).toEqual(expected);
    expect(slow.parser.stats.unparsed).toBe(0);
    for (const chunk of [1 << 20, 4093, 97]) {
      const fast = parse(data, true, chunk);
      expect(fast.parser.stats).toEqual(slow.parser.stats);
      expect(fast.events).toEqual(slow.events);
    }
  });
});

describe('decoding', () => {
  const noise = readFileSync(join(PUBLIC, 'isaiasa-tomcat8.0.33-tomcat0-catalina.2019-05-21.log'));

  test('records of other loggers are counted, not decoded', () => {
    // 200 copies of a non-cluster record and its stack trace, after a real log.
    const record =
      '21-May-2019 10:17:01.310 INFO [localhost-startStop-1] org.apache.catalina.startup.HostConfig.deployDirectory Deploying web application directory C:\\apps\\examples\n' +
      '21-May-2019 10:17:02.000 SEVERE [http-nio-8080-exec-1] com.example.Shop.buy Failed\n' +
      'java.lang.IllegalStateException: no\n\tat com.example.Shop.buy(Shop.java:10)\n\n';
    const data = Buffer.concat([noise, Buffer.from(record.repeat(200))]);
    const fast = parse(data, true);
    const slow = parse(data, false);
    expect(fast.parser.onBytes).toBe(true);
    expect(fast.parser.stats).toEqual(slow.parser.stats);
    expect(fast.events).toEqual(slow.events);
    expect(slow.parser.decodedLines).toBe(slow.parser.stats.lines);
    // Only the real log's cluster and lifecycle records (and the detection lines) were decoded, plus
    // the continuation lines whose first byte could start another format's record (here the 200
    // `java.lang...` lines, checked so that a file mixing formats is counted as the assembler does).
    const noiseOnly = parse(noise, true);
    expect(fast.parser.decodedLines).toBeLessThanOrEqual(noiseOnly.parser.decodedLines + 200);
    expect(fast.parser.decodedLines).toBeLessThan(noiseOnly.parser.stats.lines * 0.8);
  });

  test("a kept record's stack trace is counted, not decoded, once the trace has begun", () => {
    // The real log's cluster records carry 728 lines of `\tat org.apache.catalina.tribes...` (failed
    // multicast joins): what follows a trace's first line goes into the record's trace, which no
    // event carries.
    expect(noise.toString('latin1').split('\n').filter((l) => l.startsWith('\tat org.apache.catalina.tribes')).length).toBe(728);
    const slow = parse(noise, false);
    for (const chunk of [1 << 20, 4093]) {
      const { fast, decoded } = parseFastDecoding(noise, chunk);
      expect(decoded.filter((text) => text.startsWith('\tat ')).length).toBeLessThan(50);
      expect(fast.parser.stats).toEqual(slow.parser.stats);
      expect(fast.events).toEqual(slow.events);
    }
  });

  test("a JSP error's `out cannot be resolved` lines are not decoded: `out` begins no JUL date without a digit after it", () => {
    // The real Tomcat 8.0 log of public/isaiasa…tomcat1: its JSP compile errors' lines begin with
    // `out`, a Portuguese month word; each was decoded to be tested as a JUL start (a file mixing formats).
    const log = readFileSync(join(PUBLIC, 'isaiasa-tomcat8.0.33-tomcat1-catalina.2019-05-21.log'));
    const lines = log.toString('latin1').split('\n').filter((l) => l.startsWith('out cannot be resolved')).length;
    expect(lines).toBeGreaterThan(5);
    const { fast, decoded } = parseFastDecoding(log);
    expect(fast.parser.scanning).toBe(true);
    expect(decoded.filter((text) => text.startsWith('out cannot be resolved')).length).toBe(0);
    const slow = parse(log, false);
    expect(fast.parser.stats).toEqual(slow.parser.stats);
    expect(fast.events).toEqual(slow.events);
  });

  test('a log without cluster records decodes no more than the detection lines', () => {
    const record = '21-May-2019 10:17:02.000 INFO [main] org.apache.coyote.AbstractProtocol.init Initializing\n';
    const { parser } = parse(Buffer.from(record.repeat(10_000)), true);
    expect(parser.stats.records).toBe(10_000);
    expect(parser.decodedLines).toBeLessThanOrEqual(100);
  });

  test('formats the byte matcher does not know stay on the general path', () => {
    const data = readFileSync(join(CORPUS, 'json/tomcat1/catalina.out'));
    const { parser } = parse(data, true);
    expect(parser.format).toBe('juli_json');
    expect(parser.onBytes).toBe(false);
    expect(parser.decodedLines).toBe(parser.stats.lines);
  });

  test.each([
    ['another logger', ' org.apache.coyote.AbstractProtocol init', /^INFO: Initializing ProtocolHandler/],
    ['a lifecycle logger, a message no template fits', ' org.apache.catalina.startup.VersionLoggerListener log', /^INFO: OS Name:/],
  ])("JUL SimpleFormatter: %s: two-line starts are counted, not decoded", (_name, header, second) => {
    // A real JUL log, then 200 copies of one of its records (header and INFO line).
    const real = readFileSync(join(CORPUS, 'simpleformatter-default/tomcat1/catalina.out'));
    const lines = real.toString('utf8').split('\n');
    const at = lines.findIndex((l, i) => l.endsWith(header) && second.test(lines[i + 1] ?? ''));
    expect(at).toBeGreaterThanOrEqual(0);
    const record = `${lines[at]}\n${lines[at + 1]}\n`;
    const data = Buffer.concat([real, Buffer.from(record.repeat(200))]);
    const slow = parse(data, false);
    expect(slow.parser.format).toBe('jul_simple');
    expect(slow.parser.decodedLines).toBe(slow.parser.stats.lines);
    for (const chunk of [1 << 20, 4093, 97]) {
      const fast = parse(data, true, chunk);
      expect(fast.parser.stats).toEqual(slow.parser.stats);
      expect(fast.events).toEqual(slow.events);
      // The first copy follows the log's last record, a cluster one: it is decoded; the rest are not.
      expect(fast.parser.decodedLines).toBeLessThanOrEqual(parse(real, true).parser.decodedLines + 2);
    }
  });

  test('the fast path can be switched off', () => {
    const { parser } = parse(noise, false);
    expect(parser.onBytes).toBe(false);
    expect(parser.decodedLines).toBe(parser.stats.lines);
    const prev = process.env.CATALINA_LENS_FAST_PATH;
    process.env.CATALINA_LENS_FAST_PATH = '0';
    try {
      expect(fastPathDefault()).toBe(false);
    } finally {
      if (prev === undefined) delete process.env.CATALINA_LENS_FAST_PATH;
      else process.env.CATALINA_LENS_FAST_PATH = prev;
    }
    expect(fastPathDefault()).toBe(true);
  });
});

describe('edge lines: the byte matcher agrees with the regex', () => {
  const head = '26-Nov-2026 15:07:30.490 INFO [main] org.apache.catalina.startup.VersionLoggerListener.log Server version name:   Apache Tomcat/10.1.60\n';
  const lines = [
    '26-Nov-2026 15:07:30.490 INFO [Tribes-Task-Receiver[Catalina-Channel]-3] org.apache.catalina.ha.tcp.SimpleTcpCluster.memberAdded Replication member added:[x]',
    '26-Nov-2026 15:07:30.490 INFO [a] b] org.apache.catalina.tribes.X.y z',
    '26-Nov-2026 15:07:30.490 INFO [a] not a logger] o.a.c.t.X.y m',
    '26-Nov-2026 15:07:30.490 INFO [a] org.apache.catalina.ha.X.y\tz',
    '26-Nov-2026 15:07:30.490 INFO [a] org.apache.catalina.ha.X.y',
    '26-Nov-2026 15:07:30.490 INFO [a] org.apache.catalina.ha.X.',
    '26-Nov-2026 15:07:30.490 INFO [a] .y m',
    '26-Nov-2026 15:07:30.490 INFO [a] org.apache[x].X.y m',
    '26-Nov-2026 15:07:30.490 INFO [a] org.apache.catalina.ha.X.y[1] m',
    '26-Nov-2026 15:07:30.490 情報 [main] org.apache.catalina.ha.tcp.SimpleTcpCluster.startInternal クラスタ',
    '26-Nov-2026 15:07:30.490 INFO\u00a0[main] org.apache.catalina.ha.tcp.SimpleTcpCluster.x y',
    '26-Nov-2026 15:07:30.490 INFO [main] org.apache.catalina.ha.tcp.SimpleTcpCluster.x\u2003y',
    '26-Nov-2026 15:07:30.490 INFO [main] org.apache.catalina.ha.tcp.Simple\u00e9TcpCluster.x y',
    '26-Nov-2026 15:07:30.490  INFO [main] org.apache.catalina.ha.tcp.SimpleTcpCluster.x y',
    '26-Nov-2026 15:07:30.49 INFO [main] org.apache.catalina.ha.tcp.SimpleTcpCluster.x y',
    '26-Nov-2026 15:07:30.490 INFO [main] o.a.c.h.session.DeltaManager.x y',
    '26-Nov-2026 15:07:30.490 INFO [main] o.a.c.h.Http11NioProtocol.x y',
    '26-Nov-2026 15:07:30.490 INFO [main] org.apache.catalina.startup.Catalina.start Server startup in 12 ms',
    '26-Nov-2026 15:07:30.490 INFO [main] com.example.Catalina.start Server startup in 12 ms',
    '26-Nov-2026 15:07:30.490 INFO [main] Catalina.start Server startup in 12 ms',
    '26-Nov-2026 15:07:30.490 INFO [main] x.StandardServer.await A valid shutdown command was received via the shutdown port. Stopping the Server instance.',
    '26-Nov-2026 15:07:30.490 INFO [main] org.apache.catalina.ha.tcp.SimpleTcpCluster.x y\r',
    '\t26-Nov-2026 15:07:30.490 INFO [main] org.apache.catalina.ha.tcp.SimpleTcpCluster.x y',
    '26-Foo-2026 15:07:30.490 INFO [main] org.apache.catalina.ha.tcp.SimpleTcpCluster.x y',
  ];
  test.each(lines)('%j', (l) => {
    const noise = '26-Nov-2026 15:07:31.000 INFO [main] com.example.App.run tick\ncontinued\n';
    const data = Buffer.from(head.repeat(120) + noise + `${l}\ncontinuation line\n` + noise);
    const slow = parse(data, false);
    for (const lineScan of [true, false]) {
      const fast = parse(data, true, 1 << 20, 'x.log', lineScan);
      expect(fast.parser.onBytes).toBe(true);
      expect(fast.parser.scanning).toBe(lineScan);
      expect(fast.parser.stats).toEqual(slow.parser.stats);
      expect(fast.events).toEqual(slow.events);
    }
  });

  test('invalid UTF-8 lines', () => {
    const bad = Buffer.from([0x32, 0x36, 0xff, 0x0a]);
    const l = Buffer.from('26-Nov-2026 15:07:30.490 INFO [m\xff] org.apache.catalina.ha.tcp.SimpleTcpCluster.x y\n', 'latin1');
    const data = Buffer.concat([Buffer.from(head.repeat(120)), bad, l, Buffer.from('x\n')]);
    for (const chunk of [1 << 20, 7]) {
      const fast = parse(data, true, chunk);
      const slow = parse(data, false, chunk);
      expect(fast.parser.stats).toEqual(slow.parser.stats);
      expect(fast.parser.stats.invalidUtf8).toBe(2);
      expect(fast.events).toEqual(slow.events);
    }
  });

  test('a large chunk with one line that is not UTF-8: the same accounting on every path', () => {
    const counted = '26-Nov-2026 15:07:31.000 INFO [main] com.example.App.run tick\ncontinued\n';
    const bad = Buffer.from('26-Nov-2026 15:07:31.000 INFO [m\xe9] org.apache.catalina.ha.tcp.SimpleTcpCluster.x y\n', 'latin1');
    const data = Buffer.concat([Buffer.from(head.repeat(120) + counted.repeat(3000)), bad, Buffer.from(counted.repeat(3000) + head)]);
    const slow = parse(data, false);
    for (const lineScan of [true, false]) {
      const fast = parse(data, true, 1 << 20, 'x.log', lineScan);
      expect(fast.parser.stats).toEqual(slow.parser.stats);
      expect(fast.events).toEqual(slow.events);
    }
    expect(slow.parser.stats.invalidUtf8).toBe(1);
  });

  test('cluster logger names on bytes: the recogniser regex', () => {
    const names = [
      'org.apache.catalina.ha.tcp.SimpleTcpCluster', 'org.apache.catalina.tribes.X', 'o.a.c.h.t.SimpleTcpCluster', 'o.a.c.ha.session.DeltaManager',
      'o.a.catalina.tribes.X', 'org.a.c.t.X', 'o.apache.c.h.session.X', 'o.a.c.h.Http11NioProtocol', 'o.a.c.h.u.X', 'org.apache.catalina.h.jmx.X',
      'org.apache.catalina.h.jmxx.X', 'org.apache.catalina.core.StandardServer', 'org.apache.coyote.http11.X', 'org.apache.catalina.hax.Y', 'o.a.c.t',
      'o.a.c.t.', 'orgg.a.c.t.X', 'o.a.c.h.a.', 'o.a.c.h.x.', 'org.apache.catalina.tribes', 'o.a.c.h.tcp.', 'o.a.c.h.tcp', 'o', '',
    ];
    for (const n of names) {
      const b = Buffer.from(n);
      expect({ n, v: clusterLoggerBytes(b, 0, b.length) }).toEqual({ n, v: isClusterLogger(n) });
    }
  });

  test('\\s on bytes', () => {
    for (let cp = 0; cp < 0x10000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const s = String.fromCharCode(cp);
      const b = Buffer.from(s);
      expect(spaceAt(b, 0, b.length) > 0).toBe(/\s/.test(s));
    }
  });
});

test('parsing in worker threads gives the same events and accounting as in-process', async () => {
  const prev = process.env.CATALINA_LENS_WORKERS;
  try {
    process.env.CATALINA_LENS_WORKERS = '2';
    const parallel = await collectEvents(files, { tz: 'UTC' });
    process.env.CATALINA_LENS_WORKERS = '0';
    const single = await collectEvents(files, { tz: 'UTC' });
    expect(parallel.inputs).toEqual(single.inputs);
    expect(parallel.events).toEqual(single.events);
    expect(parallel.errors).toEqual(single.errors);
  } finally {
    if (prev === undefined) delete process.env.CATALINA_LENS_WORKERS;
    else process.env.CATALINA_LENS_WORKERS = prev;
  }
}, 120_000);

describe('formats without a byte path (JUL SimpleFormatter): records that cannot yield an event are only counted', () => {
  const real = readFileSync(join(CORPUS, 'simpleformatter-ddmmyyyy/tomcat1/catalina.2026-11-26.log'), 'utf8').split('\n').filter(Boolean);

  test('the same events and accounting as the general path', () => {
    const data = Buffer.from(`${real.join('\n')}\n`);
    const fast = parse(data, true);
    const general = parse(data, false);
    expect(fast.parser.format).toBe('jul_simple');
    expect(fast.parser.stats).toEqual(general.parser.stats);
    expect(fast.events).toEqual(general.events);
  });

  test("an unwanted record's timestamp still decides the day/month order of the records after it", () => {
    // Synthesised from the real lines above: every date made ambiguous (06/11/2026), then, past the
    // detection buffer, one non-cluster record dated 11/13/2026, which only month-first reads.
    const ambiguous = real.map((l) => l.replace(/^26\/11\/2026/, '06/11/2026'));
    const startup = ambiguous.slice(0, 80);
    const cluster = ambiguous.slice(80);
    // `Server built:` (VersionLoggerListener) yields no event.
    expect(startup[3]).toMatch(/^INFO: Server built:/);
    const monthFirst = [startup[2].replace(/^06\/11\/2026/, '11/13/2026'), startup[3]];
    const before = [...startup, ...startup.slice(0, 40)];
    const data = Buffer.from(`${[...before, ...monthFirst, ...cluster].join('\n')}\n`);
    const fast = parse(data, true);
    const general = parse(data, false);
    expect(fast.events).toEqual(general.events);
    // The order the unwanted record showed is in force after it: 06/11 is the 11th of June.
    const after = fast.events.filter((e) => e.line > before.length + 2);
    expect(after.length).toBeGreaterThan(5);
    expect(after.every((e) => e.time?.startsWith('2026-06-11'))).toBe(true);
  });

  test('property: documents of real JUL records and real stack-trace lines, with edits, give the general path\'s results', () => {
    const jul = ['simpleformatter-default', 'simpleformatter-en-AU', 'simpleformatter-fr', 'simpleformatter-ddmmyyyy'].flatMap((d) =>
      readFileSync(join(CORPUS, d, 'tomcat1/catalina.2026-11-26.log'), 'utf8').split('\n').filter(Boolean),
    );
    // Continuation lines of a real Tomcat 8.0 day: stack frames, `Caused by`, JSP listings.
    const other = readFileSync(join(PUBLIC, 'isaiasa-tomcat8.0.33-tomcat0-catalina.2019-05-21.log'), 'utf8')
      .split('\n')
      .filter((l) => !/^\d{2}-\w{3}-\d{4} /.test(l))
      .slice(0, 300);
    const edits = ['\t', ' ', '\u00a0', 'A', 'INFO: ', 'SEVERE: x', 'Nov 26, 2026 3:12:27 PM a.B c', '1', '{', '\r', '', 'é'];
    const line = fc.oneof(
      fc.constantFrom(...jul, ...other),
      fc.tuple(fc.constantFrom(...jul, ...other), fc.nat(120), fc.constantFrom(...edits), fc.boolean()).map(([l, at, e, replace]) => {
        const i = Math.min(at, l.length);
        return l.slice(0, i) + e + l.slice(replace ? i + 1 : i);
      }),
    );
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 150 }), fc.constantFrom(1 << 20, 4096, 61), (lines, chunk) => {
        // A real head, so that the format is decided as SimpleFormatter before the generated lines.
        const data = Buffer.from(`${jul.slice(0, 60).join('\n')}\n${lines.join('\n')}\n`);
        const fast = parse(data, true, chunk);
        const general = parse(data, false, chunk);
        expect(fast.parser.format).toBe('jul_simple');
        expect(fast.parser.stats).toEqual(general.parser.stats);
        expect(fast.events).toEqual(general.events);
      }),
      { numRuns: 200 },
    );
  });

  test('the continuation lines of a record that cannot yield an event are not decoded', () => {
    const head = real.slice(0, 60).join('\n');
    const trace = readFileSync(join(PUBLIC, 'isaiasa-tomcat8.0.33-tomcat0-catalina.2019-05-21.log'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('\tat '))
      .slice(0, 500);
    // A `Server built:` record (no event) followed by 500 real stack frames.
    expect(real[3]).toMatch(/^INFO: Server built:/);
    const data = Buffer.from(`${head}\n${real[2]}\n${real[3]}\n${trace.join('\n')}\n`);
    const fast = parse(data, true);
    expect(fast.parser.stats).toEqual(parse(data, false).parser.stats);
    expect(fast.parser.decodedLines).toBeLessThan(100);
  });
});
