// The line-scan kernel (src/core/line-scan.wat): its committed build matches its source, its codes
// on chosen lines, and, on generated documents full of near-misses, the parser gives the same
// events and accounting with the kernel, with the per-line byte path and with the general path.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test, vi } from 'vitest';
import { createStartMatcher, LoggerFilter, START } from '../../src/core/cluster-prefilter.js';
import { InputParser } from '../../src/core/input-parser.js';
import { createScanPlan, LineScanKernel, REPORT_INTS, TABLE_OFFSETS, type ForeignStarts, type ScanPlan } from '../../src/core/line-scan.js';
import { charHeads, HeadTable, wordHeads } from '../../src/core/start-heads.js';
import type { ClusterEvent } from '../../src/core/types.js';
import { loadGrammarsSync } from '../../src/io/grammar-files.js';
import { PUBLIC } from '../helpers/corpus.js';
import { toSimpleFormatter } from '../../benchmarks/jul-copy.js';

const grammars = loadGrammarsSync();
const oneLine = grammars.formats.find((f) => f.name === 'juli_oneline')!;

/** No other format's start: nothing is reported as one. */
const NO_FOREIGN = HeadTable.of([])!;

function plan(foreign: ForeignStarts = NO_FOREIGN): ScanPlan {
  const matcher = createStartMatcher(oneLine)!;
  return createScanPlan(matcher.signature!, foreign, new LoggerFilter(grammars.events).names)!;
}

/** The code of each line of `text`, as the kernel reports them (0 for lines it does not report). */
function codes(text: string, maxLine = 1 << 20, p = plan()): number[] {
  const kernel = LineScanKernel.create(p)!;
  const region = Buffer.from(text);
  kernel.load(region);
  const out: number[] = [];
  let lines = 0;
  for (let from = 0; from < region.length; ) {
    const r = kernel.scan(from, maxLine);
    for (let i = 0; i < r.count; i++) {
      const at = REPORT_INTS * i;
      out[lines + r.entries[at + 2]] = r.entries[at + 3];
      if (r.entries[at + 3] === 1 && r.entries[at + 4] > 0) out[lines + r.entries[at + 6]] = -r.entries[at + 4]; // a run: its last start, minus the run's further starts
    }
    lines += r.lines;
    from = r.resume;
  }
  return Array.from({ length: lines }, (_, i) => out[i] ?? 0);
}

test('the committed kernel is the build of line-scan.wat', () => {
  execFileSync(process.execPath, [join(import.meta.dirname, '../../scripts/build-wasm.mjs'), '--check'], { stdio: 'pipe' });
});

test("the tables' layout is the one the kernel's code and header address", () => {
  const wat = readFileSync(join(import.meta.dirname, '../../src/core/line-scan.wat'), 'utf8');
  const header = wat.slice(0, wat.indexOf('(module'));
  const documented = [...header.matchAll(/\+(\d+) /g)].map((m) => Number(m[1]));
  expect(documented).toEqual(TABLE_OFFSETS);
  // Each region's start is an offset the code loads or stores at (the first-byte bits at 0, plainly).
  const used = new Set([...wat.slice(header.length).matchAll(/offset=(\d+)/g)].map((m) => Number(m[1])));
  for (const at of TABLE_OFFSETS.slice(1)) expect(used.has(at), `offset=${at}`).toBe(true);
});

test('WebAssembly SIMD is available here (else the tests below would only test the per-line path)', () => {
  expect(LineScanKernel.create(plan())).toBeDefined();
});

describe('codes', () => {
  const start = '26-Nov-2026 15:07:30.490 INFO [main] ';
  test.each([
    [`${start}org.apache.coyote.AbstractProtocol.init Initializing`, 1],
    [`${start}org.apache.catalina.ha.tcp.SimpleTcpCluster.startInternal Cluster is about to start`, 3],
    [`${start}o.a.c.t.membership.McastService.x y`, 3],
    [`${start}org.apache.catalina.startup.Catalina.start Server startup in [1] ms`, 3],
    [`${start}com.example.App.run tick`, 1],
    ['\tat org.apache.catalina.ha.tcp.SimpleTcpCluster.x(SimpleTcpCluster.java:1)', 0],
    ['', 0],
    ['26-Nov-2026 15:07:30.490', 0],
    ['26-Xyz-2026 15:07:30.490 INFO [main] com.example.App.run tick', 0],
    [`${start}com.example.App.run\ttick`, 0],
    [`${start}com.example.\u00e9App.run tick`, 2],
    [`${start}com.example.App.run\u2003tick`, 2],
    [`26-Nov-2026 15:07:30.490 INFO\u00a0[main] com.example.App.run tick`, 2],
    [`${start}com.example.App.run tick\r`, 1],
  ])('%j → %i', (line, code) => {
    expect(codes(`${line}\n`)).toEqual([code]);
  });

  test('a start whose logger may yield an event comes with its logger and message located, as the byte matcher finds them', () => {
    const logger = 'org.apache.catalina.ha.tcp.SimpleTcpCluster';
    const lines = [`${start}${logger}.startInternal Cluster is about to start`, `${start}${logger}.startInternal`, `${start}${logger}.startInternal x\r`];
    const region = Buffer.from(lines.map((l) => `${l}\n`).join('').repeat(2));
    const kernel = LineScanKernel.create(plan())!;
    kernel.load(region);
    const r = kernel.scan(0, 1 << 20);
    expect(r.count).toBe(6);
    const matcher = createStartMatcher(oneLine)!;
    for (let i = 0; i < r.count; i++) {
      const [lineStart, nl, , code, loggerStart, , loggerEnd, messageStart] = r.entries.subarray(i * REPORT_INTS, (i + 1) * REPORT_INTS);
      expect(code).toBe(3);
      const end = region[nl - 1] === 0x0d ? nl - 1 : nl;
      expect(matcher.match(region, lineStart, end)).toBe(START);
      expect([loggerStart, loggerEnd, messageStart]).toEqual([matcher.loggerStart, matcher.loggerEnd, matcher.messageStart]);
      expect(region.toString('latin1', loggerStart, loggerEnd)).toBe(logger);
    }
  });

  test('lines over the cap and lines whose first two bytes may start another format are reported', () => {
    expect(codes('An error occurred\nno\n', 1 << 20, plan(HeadTable.of([charHeads('A')])))).toEqual([4, 0]);
    // Month words: `An` begins none of them; `Ap` may (the line is reported, JavaScript decides).
    const months = plan(HeadTable.of([wordHeads(['Apr', 'Aug']), charHeads('0123456789', ' /.-')]));
    expect(codes('An error occurred\nApr 5, 2019 1:02:03 PM x y\nAp\nA\n', 1 << 20, months)).toEqual([0, 4, 4, 0]);
    // A digit followed by a date separator, not by `:` (a JSP error's `1: <%`).
    expect(codes('1: <%\n5/21/19 4:32 PM\n7\n', 1 << 20, months)).toEqual([0, 4, 0]);
    expect(codes('x'.repeat(40) + '\nshort\n', 32)).toEqual([2, 0]);
  });

  test('counted starts with only unreported lines between them are one report (a run)', () => {
    const counted = '26-Nov-2026 15:07:30.490 INFO [main] com.example.App.run tick\ncontinued\n';
    const cluster = '26-Nov-2026 15:07:30.490 INFO [main] org.apache.catalina.ha.tcp.SimpleTcpCluster.x y\n';
    // run of 3 (reported at its first start; its last start carries -2), a cluster line, a run of 1
    expect(codes(counted.repeat(3) + cluster + counted)).toEqual([1, 0, 0, 0, -2, 0, 3, 1, 0]);
  });

  test("a lifecycle logger's record is reported only when its message may begin with a template's literal prefix", () => {
    const prefixes = grammars.events.flatMap((g) => g.templates.map((t) => t.prefix));
    const withKeys = createScanPlan(createStartMatcher(oneLine)!.signature!, NO_FOREIGN, new LoggerFilter(grammars.events).names, prefixes)!;
    const version = `${start}org.apache.catalina.startup.VersionLoggerListener.log`;
    // (no two counted starts in a row: they would make one run)
    const cases: Array<[string, number]> = [
      [`${version} Command line argument: -Xmx1g`, 1], // no template begins with `Com`
      [`${version} Server version name:   Apache Tomcat/10.1.49`, 3],
      [`${version}   \tCommand line argument: -Xmx1g`, 1], // leading spaces and tabs are skipped, as firstLine does
      [`${version}  Server version name: x`, 3],
      [`${version} Se`, 3], // too short to tell
      [`${version}`, 3], // no message
      [`${version} [x]`, 3], // a template's prefix is only \`[\`
      // The key of Server version: decides nothing, its whole prefixes do. Real lines (the isaiasa
      // Tomcat 8.0 log), and synthesised ones: a prefix's space takes a run of spaces and tabs;
      // U+00A0 or U+202F there is JavaScript's to decide. (Counted ones apart, as above.)
      [`${version} Ser\u00e9`, 1],
      ['21-May-2019 10:16:39.106 INFO [main] org.apache.catalina.startup.VersionLoggerListener.log Server version:        Apache Tomcat/8.0.33', 3],
      ['21-May-2019 10:16:39.106 INFO [main] org.apache.catalina.startup.VersionLoggerListener.log Server built:          Mar 18 2016 20:31:49 UTC', 1],
      [`${version} Server \t version: x`, 3],
      ['21-May-2019 10:16:39.106 INFO [main] org.apache.catalina.startup.VersionLoggerListener.log Server number:         8.0.33.0', 1],
      [`${version} Server\u00a0version: x`, 3],
      [`${version} Serverversion: x`, 1],
      [`${version} Server \u202fversion: x`, 3],
      [`${version} Server`, 1], // the line ends within every prefix
      [`${version} Démarrage`, 3], // not ASCII: JavaScript decides
      [`${version} Le serveur`, 3], // a space within the first three: JavaScript folds white space
      [`${start}org.apache.catalina.ha.tcp.SimpleTcpCluster.x Command line argument`, 3], // a cluster logger, whatever its message
      [`${start}com.example.App.run Server version name: x`, 1],
    ];
    expect(codes(cases.map(([l]) => `${l}\n`).join(''), 1 << 20, withKeys)).toEqual(cases.map(([, c]) => c));
    // Without the prefixes (or with an empty one) every lifecycle record is reported.
    expect(codes(`${version} Command line argument: -Xmx1g\n`)).toEqual([3]);
    const empty = createScanPlan(createStartMatcher(oneLine)!.signature!, NO_FOREIGN, new LoggerFilter(grammars.events).names, [...prefixes, ''])!;
    expect(codes(`${version} Command line argument: -Xmx1g\n`, 1 << 20, empty)).toEqual([3]);
    // A key whose prefixes do not fit the kernel's lists (one over 255 bytes; synthesised) has no
    // list: its messages go to JavaScript, whatever follows the key. Another key keeps its list.
    const built = `${version} Server built:          Mar 18 2016 20:31:49 UTC\n`;
    const withPrefixes = (extra: string[]) =>
      createScanPlan(createStartMatcher(oneLine)!.signature!, NO_FOREIGN, new LoggerFilter(grammars.events).names, ['Server version:', 'Starting Servlet Engine:', ...extra])!;
    expect(codes(built, 1 << 20, withPrefixes([]))).toEqual([1]);
    const tooLong = withPrefixes([`Server ${'x'.repeat(300)}`]);
    expect(codes(built, 1 << 20, tooLong)).toEqual([3]);
    expect(codes(`${version} Starting Servlet Enginx\n`, 1 << 20, tooLong)).toEqual([1]);
  });

  test('a start whose logger word the kernel has kept gets the code and places it gets alone', () => {
    const prefixes = grammars.events.flatMap((g) => g.templates.map((t) => t.prefix));
    const withKeys = createScanPlan(createStartMatcher(oneLine)!.signature!, NO_FOREIGN, new LoggerFilter(grammars.events).names, prefixes)!;
    // Real lines (the isaiasa Tomcat 8.0 log): one lifecycle logger whose messages decide (Server
    // version: may match a template, Command line argument cannot), and a cluster logger.
    const version = '21-May-2019 10:16:39.106 INFO [main] org.apache.catalina.startup.VersionLoggerListener.log';
    const cluster = '21-May-2019 10:16:39.490 INFO [main] org.apache.catalina.ha.tcp.SimpleTcpCluster.startInternal';
    // Synthesised loggers around the 62 bytes a kept word may have: 61, 62, 63 and 64.
    const long = (n: number): string => `26-Nov-2026 15:07:30.490 INFO [main] com.example.${'a'.repeat(n - 'com.example..run'.length)}.run`;
    const lines = [
      `${version} Server version:        Apache Tomcat/8.0.33`,
      `${version} Command line argument: -Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager`,
      `${version} Server built:          Mar 18 2016 20:31:49 UTC`,
      `${version}\tCommand line argument: x`, // the word, then a tab: no start
      `${version}`, // the word at the line's end
      `${version}\r`,
      `${version}x Command line argument: x`, // a longer word
      `${version.replace('.log', '.lo')} Command line argument: x`, // a shorter one
      `${version} Command line argument: x`,
      `${cluster} Cluster is about to start`,
      `${cluster} x`,
      `${cluster.replace('SimpleTcpCluster', 'SimpleTcpClusterX')} x`,
      `${cluster.replace('[main] ', '[main] [x] ')} x`,
      `${cluster}`,
      ...[61, 62, 63, 64].flatMap((n) => [`${long(n)} tick`, `${long(n)} tick`, `${long(n)}\ttick`]),
      // the same length and last four bytes (so the same slot), another byte in the middle
      `${long(40)} tick`,
      `${long(40).replace('example.aa', 'example.ab')} tick`,
    ];
    const matcher = createStartMatcher(oneLine)!;
    /** Each line's report (code and, for code 3, its logger and message places), from one kernel call over `text`. */
    const reports = (text: string): Array<number[]> => {
      const region = Buffer.from(text);
      const kernel = LineScanKernel.create(withKeys)!;
      kernel.load(region);
      const r = kernel.scan(0, 1 << 20);
      const out = Array.from({ length: r.lines }, (): number[] => [0]);
      for (let i = 0; i < r.count; i++) {
        const [lineStart, , index, code, loggerStart, , loggerEnd, messageStart] = r.entries.subarray(i * REPORT_INTS, (i + 1) * REPORT_INTS);
        out[index] = code === 3 ? [code, loggerStart - lineStart, loggerEnd - lineStart, messageStart - lineStart] : [code];
        if (code === 1 && loggerStart > 0) out[loggerEnd] = [1]; // a run of two counted starts: the second is its last
      }
      return out;
    };
    // Each line after each other one (the first's word kept, the second's maybe found kept), against each alone.
    for (const first of lines) {
      for (const second of lines) {
        const [, got] = reports(`${first}\n${second}\n`);
        expect({ first, second, got }).toEqual({ first, second, got: reports(`${second}\n`)[0] });
        if (got[0] === 3) expect(matcher.match(Buffer.from(second), 0, second.replace(/\r$/, '').length)).toBe(START);
      }
    }
    // The kept word is used: the lines' own codes differ where they should (Server built: shares
    // its first three bytes with Server version:, but begins no template).
    expect(lines.slice(0, 4).map((l) => reports(`${l}\n`)[0][0])).toEqual([3, 1, 1, 0]);
  });

  test('more reports than one call holds: the scan resumes where it stopped', () => {
    const counted = '26-Nov-2026 15:07:30.490 INFO [main] com.example.App.run tick\n';
    const cluster = '26-Nov-2026 15:07:30.490 INFO [main] org.apache.catalina.ha.tcp.SimpleTcpCluster.x y\n';
    expect(codes((counted + cluster).repeat(10_000))).toEqual(Array.from({ length: 20_000 }, (_, i) => (i % 2 === 0 ? 1 : 3)));
  });
});

/** Events and accounting of `data` pushed in `chunk`-byte pieces. */
function run(data: Buffer, chunk: number, maxLineBytes: number, fastPath: boolean, lineScan: boolean) {
  const events: ClusterEvent[] = [];
  const parser = new InputParser(
    { file: 'gen.log', node: 'n', formats: grammars.formats, events: grammars.events, tz: 'UTC', fastPath, lineScan, maxLineBytes },
    (ev) => events.push(ev),
  );
  for (let i = 0; i < data.length; i += chunk) parser.push(data.subarray(i, i + chunk));
  parser.end();
  return { stats: parser.stats, events, scanning: parser.scanning, decoded: parser.decodedLines };
}

/**
 * Documents of `head` and up to `maxLines` generated lines, pushed in each of `chunks`-byte pieces
 * with line caps of 1 MiB, 200 and 64 bytes and either line ending: the kernel, the per-line byte
 * path and the general path give the same events and accounting.
 */
function pathsAgree(head: string, line: fc.Arbitrary<string>, maxLines: number, chunks: number[], numRuns: number): void {
  fc.assert(
    fc.property(
      fc.array(line, { minLength: 1, maxLength: maxLines }),
      fc.constantFrom(...chunks),
      fc.constantFrom(1 << 20, 200, 64),
      fc.boolean(),
      (lines, chunk, maxLine, crlf) => {
        const data = Buffer.from(head + lines.join(crlf ? '\r\n' : '\n') + '\n');
        const slow = run(data, chunk, maxLine, false, false);
        const perLine = run(data, chunk, maxLine, true, false);
        const scanned = run(data, chunk, maxLine, true, true);
        expect(scanned.scanning).toBe(true);
        expect(perLine.stats).toEqual(slow.stats);
        expect(scanned.stats).toEqual(slow.stats);
        expect(scanned.events).toEqual(slow.events);
      },
    ),
    { numRuns },
  );
}

describe('generated documents (synthesised from real lines): kernel, per-line byte path and general path agree', () => {
  // Real lines: a Tomcat 8.0 day (stack traces, JSP errors, deployments) and cluster records.
  const real = readFileSync(join(PUBLIC, 'isaiasa-tomcat8.0.33-tomcat0-catalina.2019-05-21.log'), 'utf8').split('\n').slice(0, 400);
  const cluster = [
    '26-Nov-2026 15:07:35.775 INFO [Tribes-Task-Receiver[Catalina-Channel]-1] org.apache.catalina.ha.tcp.SimpleTcpCluster.memberAdded Replication member added:[org.apache.catalina.tribes.membership.MemberImpl[tcp://{127, 0, 0, 12}:4000,{127, 0, 0, 12},4000, alive=1013, securePort=-1, UDP Port=-1, id={-40 -13 64 -77 -53 -77 76 -3 -76 -24 -66 59 -39 -64 -34 -64 }, payload={}, command={}, domain={}]]',
    '26-Nov-2026 15:07:36.016 INFO [main] org.apache.catalina.ha.session.DeltaManager.getAllClusterSessions Manager [localhost#/clusterapp], requesting session state from [org.apache.catalina.tribes.membership.MemberImpl[tcp://{127, 0, 0, 12}:4000,{127, 0, 0, 12},4000, alive=1254, securePort=-1, UDP Port=-1, id={-40 -13 64 -77 -53 -77 76 -3 -76 -24 -66 59 -39 -64 -34 -64 }, payload={}, command={}, domain={}]]. This operation will timeout if no session state has been received within [60] seconds.',
    '26-Nov-2026 15:07:36.170 INFO [main] org.apache.catalina.startup.Catalina.start Server startup in [2201] milliseconds',
  ];
  // Edits that move a line across the kernel's decisions: whitespace kinds, control and non-ASCII
  // bytes, brackets and dots, \r, a cut timestamp, a foreign first byte.
  const edits = ['\t', ' ', '\u00a0', '\u2003', '\u0001', '\u007f', '\u00e9', ']', '[', '] ', '.', '\r', 'A', '1', '{', '<'];
  const line = fc.oneof(
    fc.constantFrom(...real, ...cluster),
    fc.tuple(fc.constantFrom(...real, ...cluster), fc.nat(300), fc.constantFrom(...edits), fc.boolean()).map(([l, at, e, replace]) => {
      const i = Math.min(at, l.length);
      return l.slice(0, i) + e + l.slice(replace ? i + 1 : i);
    }),
  );
  test('property', () => {
    // A real head so that the format is decided as OneLineFormatter before the generated lines.
    pathsAgree(real.slice(0, 60).join('\n') + '\n', line, 120, [1 << 20, 4096, 61, 7], 300);
  });
});

test('chunks that are not read into the kernel (gzip, stdin, tail) are copied 64 KiB at a time: its memory stays small', () => {
  const data = readFileSync(join(PUBLIC, 'isaiasa-tomcat8.0.33-tomcat0-catalina.2019-05-21.log'));
  const parser = new InputParser({ file: 'x', node: 'n', formats: grammars.formats, events: grammars.events, tz: 'UTC' }, () => {});
  // Each kernel call over a region (scanAll's, through scanFrom).
  const scan = vi.spyOn(LineScanKernel.prototype as unknown as { scanFrom: () => unknown }, 'scanFrom');
  parser.push(data); // one 650 KB chunk: the framer decides the format on its first 16 KiB, the kernel scans the rest
  parser.end();
  const kernel = (parser as unknown as { kernel: LineScanKernel }).kernel;
  expect(parser.scanning).toBe(true);
  expect(scan.mock.calls.length).toBeGreaterThanOrEqual(Math.floor((data.length - 16 * 1024) / (64 * 1024)));
  scan.mockRestore();
  expect(kernel.memoryBytes).toBeLessThanOrEqual(256 * 1024);
  // Read into its own buffer instead, a chunk is scanned where it is.
  const own = parser.readBuffer(1 << 20)!;
  expect(kernel.holds(own)).toBe(true);
  expect(kernel.holds(Buffer.alloc(16))).toBe(false);
});

test("a shared kernel scans a read slot where it is (loadSlot): the same reports as a copy, and the other slot's bytes untouched", () => {
  const data = readFileSync(join(PUBLIC, 'isaiasa-tomcat8.0.33-tomcat0-catalina.2019-05-21.log'));
  const size = 256 * 1024;
  const region = data.subarray(0, data.lastIndexOf(0x0a, size - 1) + 1);
  const expected = LineScanKernel.create(plan())!;
  expected.load(Buffer.from(region));
  const want = expected.scanAll(1 << 20);

  const shared = LineScanKernel.create(plan(), true)!;
  // The other slot holds other whole lines, padded with empty ones to the same length (so that a
  // scan of the wrong slot ends, and differs).
  const later = data.subarray(data.indexOf(0x0a, size) + 1);
  const lines = later.subarray(0, later.lastIndexOf(0x0a, region.length - 1) + 1);
  const otherRegion = Buffer.concat([lines, Buffer.alloc(region.length - lines.length, 0x0a)]);
  const other = shared.readBuffer(size, 0);
  otherRegion.copy(other);
  region.copy(shared.readBuffer(size, 1));
  shared.loadSlot(size, 1, region.length);
  const got = shared.scanAll(1 << 20);
  expect(got.count).toBeGreaterThan(0);
  expect(got.count).toBe(want.count);
  expect(got.lines).toBe(want.lines);
  expect([...got.entries.subarray(0, got.count * REPORT_INTS)]).toEqual([...want.entries.subarray(0, want.count * REPORT_INTS)]);
  expect(other.subarray(0, otherRegion.length).equals(otherRegion)).toBe(true);
});

test('a region that does not end with a newline is an error, not an endless scan', () => {
  // A real log's first line and most of its second, without the second's newline.
  const data = readFileSync(join(PUBLIC, 'isaiasa-tomcat8.0.33-tomcat0-catalina.2019-05-21.log'));
  const first = data.indexOf(0x0a) + 1;
  const lines = data.subarray(0, data.indexOf(0x0a, first) - 1);
  const kernel = LineScanKernel.create(plan(), true)!;
  lines.copy(kernel.readBuffer(64 * 1024, 0));
  kernel.loadSlot(64 * 1024, 0, lines.length);
  expect(() => kernel.scanAll(1 << 20)).toThrow(/does not end with a newline/);
  kernel.loadSlot(64 * 1024, 0, first);
  expect(kernel.scanAll(1 << 20).lines).toBe(1);
});

describe('JUL SimpleFormatter (no byte path): the kernel finds the lines that may start a record, the rest are taken in bulk', () => {
  // Synthesised: the real Tomcat 8.0 day, each start line written as SimpleFormatter writes it
  // (benchmarks/jul-copy.ts); its stack traces and other lines are copied as they are.
  const real = readFileSync(join(PUBLIC, 'isaiasa-tomcat8.0.33-tomcat0-catalina.2019-05-21.log'), 'utf8').split('\n');
  const jul = Buffer.from(real.map(toSimpleFormatter).join('\n'));

  test("a real day: same events and accounting as the general path, and its cluster records' stack traces are not decoded", () => {
    const slow = run(jul, 1 << 20, 1 << 20, false, false);
    expect(slow.events.length).toBeGreaterThan(50);
    // Its cluster records carry 728 lines of `\tat org.apache.catalina.tribes...` (failed multicast
    // joins), which no event carries: decoded line by line, counted in bulk by the kernel's walk.
    expect(real.filter((l) => l.startsWith('\tat org.apache.catalina.tribes')).length).toBe(728);
    const decode = vi.spyOn(InputParser.prototype as unknown as { decode: (...a: unknown[]) => { text: string } }, 'decode');
    const decodedTraceLines = () => decode.mock.results.filter((r) => r.value.text.startsWith('\tat ')).length;
    try {
      expect((run(jul, 1 << 20, 1 << 20, true, false), decodedTraceLines())).toBeGreaterThanOrEqual(728);
      for (const chunk of [1 << 20, 65_536, 4093]) {
        decode.mockClear();
        const scanned = run(jul, chunk, 1 << 20, true, true);
        expect(decodedTraceLines()).toBeLessThan(50);
        expect(scanned.scanning).toBe(true);
        expect(scanned.stats.format).toBe('jul_simple');
        expect(scanned.stats).toEqual(slow.stats);
        expect(scanned.events).toEqual(slow.events);
      }
    } finally {
      decode.mockRestore();
    }
  });

  const lines = real.slice(0, 400).map(toSimpleFormatter).flatMap((l) => l.split('\n'));
  const edits = ['\t', ' ', '\u00a0', '\u0001', '\u00e9', ':', '.', '\r', 'A', 'M', '1', 'INFO: ', 'SEVERE: '];
  const line = fc.oneof(
    fc.constantFrom(...lines),
    fc.tuple(fc.constantFrom(...lines), fc.nat(120), fc.constantFrom(...edits), fc.boolean()).map(([l, at, e, replace]) => {
      const i = Math.min(at, l.length);
      return l.slice(0, i) + e + l.slice(replace ? i + 1 : i);
    }),
  );
  test('property: generated documents of its lines (edited) give the same events and accounting with the kernel, per line and on the general path', () => {
    // A real head, so that the format is decided as SimpleFormatter before the generated lines.
    pathsAgree(lines.slice(0, 120).join('\n') + '\n', line, 150, [1 << 20, 4096, 61], 200);
  });
});
