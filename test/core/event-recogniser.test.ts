import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileEventGrammar, matchTemplate, type CompiledEventGrammar } from '../../src/core/event-grammar.js';
import { createEventRecogniser, firstLine, isClusterLogger } from '../../src/core/event-recogniser.js';
import type { ClusterEvent, LogRecord } from '../../src/core/types.js';
import { oneLineRecord, readRecords } from './event-record-helper.js';
import { CORPUS } from '../helpers/corpus.js';

const ROOT = join(import.meta.dirname, '..', '..');
const EVENTS_DIR = join(ROOT, 'grammars', 'events');
const PUBLIC = join(CORPUS, 'public');

const grammars: CompiledEventGrammar[] = readdirSync(EVENTS_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((f) =>
    Object.entries(JSON.parse(readFileSync(join(EVENTS_DIR, f), 'utf8')) as Record<string, unknown>)
      .filter(([k]) => k !== '$schema')
      .map(([k, v]) => compileEventGrammar(k, v, join('grammars/events', f))),
  );
const recogniser = createEventRecogniser(grammars);

function rec(message: string, extra: Partial<LogRecord> = {}): LogRecord {
  return { file: 'x.log', line: 7, lineCount: 1, offset: 0, message, format: 'test', pattern: 'test', ...extra };
}
function line(text: string): LogRecord {
  const r = oneLineRecord(text, 'catalina.out', 12);
  if (!r) throw new Error(`not a OneLineFormatter line: ${text}`);
  return r;
}

describe('createEventRecogniser', () => {
  it('builds a DESIGN.md event from a real 10.1 line', () => {
    const ev = recogniser.recognise(
      line(
        '26-Nov-2026 15:07:34.509 INFO [main] org.apache.catalina.ha.session.DeltaManager.waitForSendAllSessions Manager [localhost#/clusterapp]; session state sent at [11/26/26, 3:07 PM] received in [106] ms.',
      ),
      'tomcat2',
    );
    expect(ev).toEqual({
      type: 'state-transfer-received',
      node: 'tomcat2',
      time: '2026-11-26T15:07:34.509+00:00',
      timeMs: Date.UTC(2026, 10, 26, 15, 7, 34, 509),
      level: 'INFO',
      logger: 'org.apache.catalina.ha.session.DeltaManager',
      thread: 'main',
      file: 'catalina.out',
      line: 12,
      message: 'Manager [localhost#/clusterapp]; session state sent at [11/26/26, 3:07 PM] received in [106] ms.',
      grammar: 'state-transfer#state-transfer-received',
      manager: 'localhost#/clusterapp',
      sentAt: '11/26/26, 3:07 PM',
      durationMs: 106,
    });
  });

  it('uses the record’s zone offset for time', () => {
    const ev = recogniser.recognise(rec('Cluster is about to start', { logger: 'org.apache.catalina.ha.tcp.SimpleTcpCluster', timeMs: 0, tzOffsetMin: 600 }), 'n');
    expect(ev?.time).toBe('1970-01-01T10:00:00.000+10:00');
  });

  it('reads members, verdicts and threads with brackets', () => {
    const ev = recogniser.recognise(
      line(
        '26-Nov-2026 15:08:23.438 INFO [Catalina-utility-2] org.apache.catalina.tribes.group.interceptors.TcpFailureDetector.performBasicCheck Suspect member, confirmed alive.[org.apache.catalina.tribes.membership.StaticMember[tcp://127.0.0.12:4002,127.0.0.12,4002, alive=0, securePort=-1, UDP Port=-1, id={0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 2 }, payload={}, command={}, domain={108 97 98 45 99 108 117 115 116 ...(11)}]]',
      ),
      'tomcat1',
    );
    expect(ev).toMatchObject({ type: 'member-suspect', verdict: 'alive', thread: 'Catalina-utility-2', member: { host: '127.0.0.12', port: 4002, kind: 'StaticMember' } });
    const gone = recogniser.recognise(
      line(
        '26-Nov-2026 15:07:40.752 INFO [Tribes-Task-Receiver[Catalina-Channel]-3] org.apache.catalina.ha.tcp.SimpleTcpCluster.memberDisappeared Received member disappeared:[org.apache.catalina.tribes.membership.StaticMember[tcp://127.0.0.11:4001,127.0.0.11,4001, alive=0, securePort=-1, UDP Port=-1, id={0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 }, payload={}, command={66 65 66 89 45 65 76 69 88 ...(9)}, domain={108 97 98 45 99 108 117 115 116 ...(11)}]]',
      ),
      'tomcat2',
    );
    expect(gone).toMatchObject({ type: 'member-disappeared', thread: 'Tribes-Task-Receiver[Catalina-Channel]-3', member: { name: 'tcp://127.0.0.11:4001', command: 'BABY-ALEX', shutdownPayload: true } });
  });

  it('names the member of ParallelNioSender send failures', () => {
    const ev = recogniser.recognise(
      line(
        '26-Nov-2026 15:07:59.108 WARNING [MessageDispatchInterceptor.MessageDispatchThread[Catalina-Channel]2] org.apache.catalina.tribes.transport.nio.ParallelNioSender.doLoop Member send is failing for:[tcp://127.0.0.12:4002] ; Setting to suspect and retrying.',
      ),
      'tomcat1',
    );
    expect(ev).toMatchObject({ type: 'send-failed', level: 'WARNING', reason: 'suspect-retrying', member: { name: 'tcp://127.0.0.12:4002', kind: '' } });
    const cluster = recogniser.recognise(rec('Unable to send message through cluster sender.\n\tjava.lang.RuntimeException: x', { logger: 'org.apache.catalina.ha.tcp.SimpleTcpCluster', level: 'SEVERE' }), 'n');
    expect(cluster).toMatchObject({ type: 'send-failed', reason: 'cluster-sender' });
    expect(cluster?.member).toBeUndefined();
  });

  it('turns an unrecognised cluster-logger record into cluster-other, never dropping it', () => {
    const ev = recogniser.recognise(rec('Channel closed on the remote end, disconnecting', { logger: 'org.apache.catalina.tribes.transport.nio.NioReplicationTask', level: 'FINE' }), 'n');
    expect(ev).toMatchObject({ type: 'cluster-other', logger: 'org.apache.catalina.tribes.transport.nio.NioReplicationTask', level: 'FINE' });
    expect(ev?.grammar).toBeUndefined();
  });

  it('ignores other loggers, even when their text looks like a cluster message', () => {
    expect(recogniser.recognise(rec('Deployment of web application directory [/x] has finished in [614] ms', { logger: 'org.apache.catalina.startup.HostConfig' }), 'n')).toBeUndefined();
    expect(recogniser.recognise(rec('Cluster is about to start', { logger: 'com.example.App' }), 'n')).toBeUndefined();
    expect(recogniser.recognise(rec('Starting ProtocolHandler ["http-nio-8080"]', { logger: 'o.a.c.h.Http11NioProtocol' }), 'n')).toBeUndefined();
  });

  it('tries lifecycle loggers named by the templates, and only those', () => {
    const started = recogniser.recognise(rec('Server startup in [692] milliseconds', { logger: 'org.apache.catalina.startup.Catalina' }), 'n');
    expect(started).toMatchObject({ type: 'server-started', durationMs: 692, grammar: 'lifecycle#server-started' });
    expect(recogniser.recognise(rec('Server startup in 1234 ms', { logger: 'org.apache.catalina.startup.Catalina' }), 'n')).toMatchObject({ durationMs: 1234 });
    expect(recogniser.recognise(rec('Initialization processed in [500] milliseconds', { logger: 'org.apache.catalina.startup.Catalina' }), 'n')).toBeUndefined();
    expect(recogniser.recognise(rec('Stopping service [Tomcat]', { logger: 'o.a.c.c.StandardService' }), 'n')).toMatchObject({ type: 'server-stopping', stage: 'service-stopping', service: 'Tomcat' });
    expect(recogniser.recognise(rec('Server version name:   Apache Tomcat/10.1.60 (Debian)', { logger: 'org.apache.catalina.startup.VersionLoggerListener' }), 'n')).toMatchObject({ type: 'server-version', version: 'Apache Tomcat/10.1.60 (Debian)' });
    expect(recogniser.recognise(rec('Server version number: 10.1.60.0', { logger: 'org.apache.catalina.startup.VersionLoggerListener' }), 'n')).toBeUndefined();
  });

  it('tries every template for formats without a logger (systemd, verbatim, rsyslog)', () => {
    const ev = recogniser.recognise(rec('Receiver Server Socket bound to:[/127.0.0.11:4001]', { level: 'INFO' }), 'n');
    expect(ev).toMatchObject({ type: 'receiver-bound', address: '127.0.0.11', port: 4001 });
    expect(ev?.logger).toBeUndefined();
    expect(recogniser.recognise(rec('some application message'), 'n')).toBeUndefined();
    // No level in the record (VerbatimFormatter): the template's level is used.
    expect(recogniser.recognise(rec('Unable to start cluster.'), 'n')?.level).toBe('SEVERE');
  });

  it('matches the first line of the message only', () => {
    expect(firstLine('Unable to start cluster.\r\n\tat x')).toBe('Unable to start cluster.');
    expect(firstLine('  Cluster is about to start')).toBe('Cluster is about to start');
    const ev = recogniser.recognise(rec('Unable to start cluster.\norg.apache.catalina.LifecycleException: x', { logger: 'org.apache.catalina.ha.tcp.SimpleTcpCluster' }), 'n');
    expect(ev).toMatchObject({ type: 'cluster-start-failed', message: 'Unable to start cluster.\norg.apache.catalina.LifecycleException: x' });
  });

  it('tells cluster loggers, abbreviated or not, from coyote http', () => {
    for (const l of [
      'org.apache.catalina.ha.tcp.SimpleTcpCluster',
      'org.apache.catalina.tribes.membership.McastServiceImpl$RecoveryThread',
      'o.a.c.h.t.SimpleTcpCluster',
      'o.a.c.h.s.DeltaManager',
      'o.a.c.ha.session.DeltaManager',
      'o.a.c.t.m.McastService',
      'o.a.catalina.tribes.io.BufferPool',
      'org.apache.catalina.ha.session.waitForSendAllSessions',
    ]) {
      expect(isClusterLogger(l), l).toBe(true);
      expect(recogniser.isClusterLogger(l), l).toBe(true);
    }
    for (const l of [undefined, '', 'o.a.c.h.Http11NioProtocol', 'o.a.c.h.u.UpgradeProcessorInternal', 'org.apache.catalina.startup.Catalina', 'org.apache.catalina.hat.X', 'org.apache.coyote.http11.Http11NioProtocol']) {
      expect(isClusterLogger(l), String(l)).toBe(false);
    }
  });

  it('refuses to run regexes on absurdly long messages', () => {
    const long = `Manager [${'x'.repeat(100_000)}`;
    const t0 = performance.now();
    expect(recogniser.recognise(rec(long, { logger: 'org.apache.catalina.ha.session.DeltaManager' }), 'n')?.type).toBe('cluster-other');
    expect(performance.now() - t0).toBeLessThan(200);
  });

  it('stays fast on typical records', () => {
    const records = readRecords(join(CORPUS, 'steady/tomcat2/catalina.out'));
    const t0 = performance.now();
    let n = 0;
    for (let i = 0; i < 200; i++) for (const r of records) if (recogniser.recognise(r, 'tomcat2')) n++;
    const perRecordUs = ((performance.now() - t0) * 1000) / (200 * records.length);
    expect(n).toBeGreaterThan(0);
    expect(perRecordUs).toBeLessThan(50);
  });
});

describe('remembered matches', () => {
  // Real lines (corpus steady/tomcat1/catalina.out).
  const added =
    '26-Nov-2026 15:07:33.758 INFO [Tribes-Task-Receiver[Catalina-Channel]-3] org.apache.catalina.ha.tcp.SimpleTcpCluster.memberAdded Replication member added:[org.apache.catalina.tribes.membership.StaticMember[tcp://127.0.0.12:4002,127.0.0.12,4002, alive=0, securePort=-1, UDP Port=-1, id={0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 2 }, payload={}, command={}, domain={108 97 98 45 99 108 117 115 116 ...(11)}]]';
  const other = '26-Nov-2026 15:07:33.758 INFO [main] org.apache.catalina.ha.tcp.SimpleTcpCluster.x Channel closed on the remote end, disconnecting';

  it('a repeated message gives the same event, with a member of its own', () => {
    const r = createEventRecogniser(grammars);
    const first = r.recognise(line(added), 'n')!;
    const again = r.recognise({ ...line(added), line: 99 }, 'n')!;
    expect(first.type).toBe('member-added');
    expect({ ...again, line: 12 }).toEqual(first);
    expect(again.member).not.toBe(first.member);
    (first.member as { host: string }).host = 'changed';
    expect((r.recognise(line(added), 'n')!.member as { host: string }).host).toBe('127.0.0.12');
    // No template: remembered too, and still a cluster-other event.
    expect(r.recognise(line(other), 'n')!.type).toBe('cluster-other');
    expect(r.recognise(line(other), 'n')!.type).toBe('cluster-other');
    // A message of several lines (synthesised: a stack trace after the real first line) is
    // remembered by its first line, and gives the same fields as the one-line record.
    const traced = { ...line(added), message: `${line(added).message}\n\tat synthesised.Frame.run(Frame.java:1)` };
    for (let i = 0; i < 2; i++) {
      const ev = r.recognise(traced, 'n')!;
      expect(ev.message).toBe(traced.message);
      expect(ev.member).toEqual(recogniser.recognise(line(added), 'n')!.member);
    }
  });

  it('forgets what it holds once full, never changing what a message gives', () => {
    const r = createEventRecogniser(grammars);
    const want = recogniser.recognise(line(added), 'n');
    expect(r.recognise(line(added), 'n')).toEqual(want);
    // Synthesised: more distinct messages than the memo holds, each a real template's.
    for (let i = 0; i < 1500; i++) {
      const text = `26-Nov-2026 15:07:34.509 INFO [main] org.apache.catalina.ha.session.DeltaManager.waitForSendAllSessions Manager [localhost#/app${i}]; session state sent at [11/26/26, 3:07 PM] received in [${i}] ms.`;
      expect(r.recognise(line(text), 'n')!.durationMs).toBe(i);
    }
    expect(r.recognise(line(added), 'n')).toEqual(want);
    // A first line longer than the memo keeps is matched each time.
    const long = `${other} ${'x'.repeat(2000)}`;
    expect(r.recognise(line(long), 'n')).toEqual(recogniser.recognise(line(long), 'n'));
  });
});

describe('real logs', () => {
  const count = (events: ClusterEvent[]): Record<string, number> => {
    const c: Record<string, number> = {};
    for (const e of events) c[e.type] = (c[e.type] ?? 0) + 1;
    return Object.fromEntries(Object.entries(c).sort());
  };
  const eventsOf = (file: string) => readRecords(file).flatMap((r) => recogniser.recognise(r, 'n') ?? []);

  // Every cluster message of the public logs, by type (the files are listed in corpus/public/PROVENANCE.md).
  // Known exceptions, not counted: tomitribe-docker-compose-fine.log has 20 FINE DeltaManager/JvmRouteBinderValve
  // debug messages without any logger (the author stripped the header lines), so they are not cluster-logger
  // records and no template covers FINE traffic; its one INFO line is recognised.
  const PUBLIC_EXPECTED: Record<string, Record<string, number>> = {
    'has3ong-tomcat9-was1.log': { 'member-added': 2 },
    'has3ong-tomcat9-was2-ko.log': { 'member-added': 2 },
    'has3ong-tomcat9-was3-ko.log': { 'member-added': 2 },
    'icicimov-tomcat7-aws-static.log': { 'buffer-pool-created': 1, 'manager-registered': 1, 'manager-starting': 1, 'member-added': 1, 'state-transfer-received': 1, 'state-transfer-requested': 1 },
    'isaiasa-tomcat8.0.33-tomcat0-catalina.2019-05-21.log': { 'buffer-pool-created': 3, 'cluster-start-failed': 37, 'cluster-starting': 41, 'engine-starting': 42, 'farm-deployer-stopped': 22, 'manager-not-clusterable': 1, 'manager-registered': 1, 'manager-starting': 1, 'member-added': 3, 'member-disappeared': 1, 'membership-established': 8, 'membership-wait': 8, 'multicast-config': 36, 'multicast-join-failed': 32, 'receiver-bound': 41, 'server-started': 5, 'server-stopping': 44, 'server-version': 42, 'state-transfer-message-dropped': 1, 'state-transfer-requested': 1, 'state-transfer-timeout': 1 },
    'isaiasa-tomcat8.0.33-tomcat1-catalina.2019-05-21.log': { 'buffer-pool-created': 3, 'cluster-start-failed': 37, 'cluster-starting': 42, 'engine-starting': 43, 'farm-deployer-stopped': 22, 'manager-not-clusterable': 1, 'manager-registered': 1, 'manager-starting': 1, 'member-added': 3, 'member-disappeared': 1, 'membership-established': 10, 'membership-wait': 10, 'multicast-config': 37, 'multicast-join-failed': 32, 'receiver-bound': 42, 'server-started': 6, 'server-stopping': 46, 'server-version': 43, 'state-transfer-message-dropped': 1, 'state-transfer-requested': 1, 'state-transfer-timeout': 1 },
    'tomitribe-docker-compose-fine.log': { 'state-transfer-requested': 1 },
    'yanwuyang-tomcat6-zh_CN-2L-JUL.log': { 'receiver-bound': 1, 'state-transfer-message-dropped': 1, 'state-transfer-skipped': 1 },
    'yunghun97-springboot-tomcat9-node1-rollingfile.log': { 'buffer-pool-created': 10, 'cluster-starting': 10, 'engine-starting': 12, 'jvm-route-valve-started': 10, 'manager-registered': 10, 'manager-starting': 10, 'member-added': 17, 'member-disappeared': 12, 'membership-established': 20, 'membership-wait': 20, 'multicast-config': 10, 'receiver-bound': 10, 'state-transfer-received': 8, 'state-transfer-requested': 8, 'state-transfer-skipped': 2 },
    'yunghun97-springboot-tomcat9-node2-rollingfile.log': { 'buffer-pool-created': 13, 'cluster-starting': 13, 'engine-starting': 13, 'jvm-route-valve-started': 13, 'manager-registered': 13, 'manager-starting': 13, 'member-added': 17, 'member-disappeared': 5, 'membership-established': 26, 'membership-wait': 26, 'multicast-config': 13, 'receiver-bound': 13, 'state-transfer-received': 9, 'state-transfer-requested': 9, 'state-transfer-skipped': 4 },
  };

  it('lists every public log', () => {
    expect(readdirSync(PUBLIC).filter((f) => f.endsWith('.log')).sort()).toEqual(Object.keys(PUBLIC_EXPECTED).sort());
  });

  it.each(Object.keys(PUBLIC_EXPECTED))('recognises every cluster message of public/%s as its type', (f) => {
    const events = eventsOf(join(PUBLIC, f));
    expect(count(events)).toEqual(PUBLIC_EXPECTED[f]);
    expect(events.filter((e) => e.type === 'cluster-other')).toEqual([]);
    // Cross-check against a plain text count of the key messages.
    const text = readFileSync(join(PUBLIC, f), 'utf8');
    const grep = (re: RegExp) => text.split('\n').filter((l) => re.test(l)).length;
    expect(events.filter((e) => e.type === 'member-added').length).toBe(grep(/Replication member added:|복제 멤버가 추가됨: /));
    expect(events.filter((e) => e.type === 'member-disappeared').length).toBe(grep(/Received member disappeared:/));
    expect(events.filter((e) => e.type.startsWith('state-transfer-re')).length).toBe(grep(/requesting session state from|\]; session state sen[dt] at/));
  });

  it('reads the 8.0.33 simultaneous-transfer timeout and the Tomcat 6 zh_CN drop message', () => {
    const e = eventsOf(join(PUBLIC, 'isaiasa-tomcat8.0.33-tomcat0-catalina.2019-05-21.log'));
    expect(e.find((x) => x.type === 'state-transfer-timeout')).toMatchObject({ manager: 'localhost#/examples', sentAt: '5/21/19 4:32 PM', durationMs: 60144, level: 'SEVERE' });
    expect(e.find((x) => x.type === 'state-transfer-requested')).toMatchObject({ timeoutSeconds: 60, member: { host: '127.0.0.1', port: 45565 } });
    expect(e.find((x) => x.type === 'manager-registered')).toMatchObject({ manager: 'localhost#/examples', element: 'Engine' });
    const zh = eventsOf(join(PUBLIC, 'yanwuyang-tomcat6-zh_CN-2L-JUL.log'));
    expect(zh.find((x) => x.type === 'state-transfer-message-dropped')).toMatchObject({
      manager: 'localhost#/demo', messageType: 'SESSION-GET-ALL', startDate: '15-1-4 下午7:55', messageDate: '70-1-1 上午8:00', level: 'WARNING',
    });
    const ko = eventsOf(join(PUBLIC, 'has3ong-tomcat9-was2-ko.log'));
    expect(ko[0]).toMatchObject({ type: 'member-added', grammar: 'membership.ko#member-added', member: { host: '127.0.0.1', port: 4000 } });
  });

  const scenarios = readdirSync(CORPUS).filter((d) => existsSync(join(CORPUS, d, 'truth.json'))).sort();

  it.each(scenarios)('recognises every INFO+ cluster record of scenario %s', (s) => {
    for (const node of readdirSync(join(CORPUS, s)).filter((d) => d.startsWith('tomcat'))) {
      const out = join(CORPUS, s, node, 'catalina.out');
      const records = readRecords(out);
      const unrecognised = records
        .map((r) => ({ r, ev: recogniser.recognise(r, node) }))
        .filter(({ r, ev }) => ev?.type === 'cluster-other' && r.level !== 'FINE' && r.level !== 'FINER' && r.level !== 'FINEST');
      expect(unrecognised.map(({ r }) => `${out}:${r.line} ${r.message}`)).toEqual([]);
    }
  });

  it('follows the steady scenario on tomcat2 (INDEX.md counts)', () => {
    const c = count(eventsOf(join(CORPUS, 'steady/tomcat2/catalina.out')));
    expect(c).toMatchObject({
      'server-version': 1, 'cluster-starting': 1, 'receiver-bound': 1, 'manager-registered': 1, 'member-added': 2,
      'member-disappeared': 1, 'state-transfer-requested': 1, 'state-transfer-received': 1, 'manager-expiring-sessions': 1, 'server-started': 1,
    });
  });

  it('reads the French SimpleFormatter scenario (the sessionReceived translation repeats the manager)', () => {
    const e = eventsOf(join(CORPUS, 'simpleformatter-fr/tomcat2/catalina.out'));
    const received = e.find((x) => x.type === 'state-transfer-received');
    expect(received).toMatchObject({ manager: 'localhost#/clusterapp', durationMs: 105, grammar: 'state-transfer.fr#state-transfer-received' });
    expect(received?.sentAt).toBeUndefined();
    expect(e.find((x) => x.type === 'send-failed')).toMatchObject({ reason: 'suspect-retrying', member: { name: 'tcp://127.0.0.11:4001' } });
    expect(e.some((x) => x.type === 'server-stopping')).toBe(true);
  });
});

describe('regex cost on crafted lines', () => {
  const templates = grammars.flatMap((g) => g.templates);
  const KB8 = 8192;
  const fill = (unit: string): string => (unit === '' ? '' : unit.repeat(Math.ceil(KB8 / unit.length)).slice(0, KB8));
  // Near misses: the template's own text with every argument given a plausible value, repeated; and
  // runs of the separators its regexes stop at (white space, brackets, ports, digit groups).
  const VALUE: Record<string, string> = {
    member: 'tcp://{10, 0, 0, 2}:4000', int: '12', 'grouped-int': '1,234', date: '11/6/13 9:56 PM', text: 'a b',
    word: 'w', address: '/10.0.0.1:4000',
  };
  const rendered = (t: (typeof templates)[number]): string =>
    t.template.replace(/''/g, "'").replace(/\{(\w+)(?::([\w-]+))?\}/g, (_m, name: string, type?: string) => {
      const a = t.args.find((x) => x.name === name);
      return VALUE[type ?? a?.type ?? 'text'] ?? 'x';
    });
  // Milliseconds a run takes; a slow one is timed twice more and the best kept (a GC pause or a busy
  // core is not the regex).
  const timed = (f: () => void): number => {
    let best = Infinity;
    for (let i = 0; i < 3 && best > 10; i++) {
      const s0 = performance.now();
      f();
      best = Math.min(best, performance.now() - s0);
    }
    return best;
  };
  const GENERIC = [
    'a ', ' ', ' \u00A0\t', '[', ']', '[a]', '] ', ' [', ':1', 'tcp://a:1', 'tcp://{1, 2', '1,234 ', '1 234', ']; ', 'at ', '. ',
  ];

  it('every template answers quickly on long adversarial messages', () => {
    const t0 = performance.now();
    for (const t of templates) {
      for (const tail of ['a '.repeat(3000), '['.repeat(3000), ']'.repeat(3000), ' '.repeat(6000) + 'x', '[a]'.repeat(2000) + '[']) {
        matchTemplate(t, t.prefix + tail);
      }
    }
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('every template and each of its regexes stays fast on 8 KB near misses and separator runs', () => {
    let worst = { ms: 0, what: '' };
    const t0 = performance.now();
    for (const t of templates) {
      const text = rendered(t);
      // The whole message repeated, and its literal text after the first argument repeated: each
      // separator of the template occurs thousands of times, and the line never ends as it should.
      const words = text.split(/(?<=[ \]\[:;,.])/);
      const inputs = [
        t.prefix + fill(text) + '\u0001',
        t.prefix + fill(text.slice(t.prefix.length)) + '\u0001',
        ...words.map((w) => t.prefix + fill(w) + '\u0001'),
        ...GENERIC.map((g) => t.prefix + fill(g) + '\u0001'),
        ...GENERIC.map((g) => t.prefix + fill(g)),
      ];
      const run = (input: string): void => {
        matchTemplate(t, input);
        // The regexes alone also see a line break at the end (matchTemplate never lets one through).
        for (const re of t.regexes) re.exec(input.slice(t.prefix.length)), re.exec(`${input.slice(t.prefix.length)}\n`);
      };
      for (const input of inputs) {
        const ms = timed(() => run(input));
        if (ms > worst.ms) worst = { ms, what: `${t.id} on ${JSON.stringify(input.slice(0, 80))}` };
      }
    }
    const total = performance.now() - t0;
    // Linear matching: ~5 µs per KB and regex. A quadratic regex takes ~100 ms on one such line.
    expect(worst.ms, worst.what).toBeLessThan(50);
    expect(total).toBeLessThan(20_000);
  });
});

describe('mayMatch: can any template match a message?', () => {
  const r = createEventRecogniser(grammars);
  // Messages of VersionLoggerListener records from the corpus (public/isaiasa logs).
  it('no template starts like most of VersionLoggerListener lines', () => {
    expect(r.mayMatch('Command line argument: -Djava.util.logging.config.file=C:\\apps\\conf\\logging.properties', true)).toBe(false);
    expect(r.mayMatch('OS Name:               Windows 10', true)).toBe(false);
  });
  it('a message a template starts like, and whitespace before it', () => {
    expect(r.mayMatch('Server version:        Apache Tomcat/8.0.33', true)).toBe(true);
    expect(r.mayMatch(' \tServer version:        Apache Tomcat/8.0.33\r', true)).toBe(true);
    // A real line (public/isaiasa-tomcat8.0.33-tomcat0-catalina.2019-05-21.log, line 1).
    const rec = oneLineRecord(
      '21-May-2019 10:16:39.106 INFO [main] org.apache.catalina.startup.VersionLoggerListener.log Server version:        Apache Tomcat/8.0.33',
    )!;
    expect(r.recognise(rec as LogRecord, 'n')?.type).toBe('server-version');
  });
  it('compares the whole literal prefix, not only its first characters (real lines: public/isaiasa… tomcat0, lines 2, 27, 29)', () => {
    // Same first letters as "Server version…", "Starting Servlet engine…", "Initializing…": no template.
    expect(r.mayMatch('Server built:          Mar 18 2016 20:31:49 UTC', true)).toBe(false);
    expect(r.mayMatch('Starting service Catalina', true)).toBe(false);
    expect(r.mayMatch('Initialization processed in 749 ms', true)).toBe(false);
    // A run of white space where the template has one space still fits.
    expect(r.mayMatch('Server   version:        Apache Tomcat/8.0.33', true)).toBe(true);
    // Both forms of the stop message (Tomcat 8.0 and 8.5.15+) have templates.
    expect(r.mayMatch('Stopping service Catalina', true)).toBe(true);
    expect(r.mayMatch('Stopping service [Catalina]', true)).toBe(true);
  });
  it('a head that ends inside the prefix, or inside a character, is a maybe', () => {
    expect(r.mayMatch('Server vers', false)).toBe(true);
    expect(r.mayMatch('Server vers', true)).toBe(false);
    expect(r.mayMatch('Server vers\ufffd', false)).toBe(true);
    expect(r.mayMatch('Server built:   Mar', false)).toBe(false);
  });
  it('a head too short to tell is a maybe; a whole short message is decided', () => {
    expect(r.mayMatch('  Se', false)).toBe(true);
    expect(r.mayMatch('Se', true)).toBe(false);
    expect(r.mayMatch('', true)).toBe(false);
  });
  it('never says no where a template matches: every grammar sample line', () => {
    let checked = 0;
    for (const g of grammars) {
      for (const s of g.samples ?? []) {
        // The message of a OneLine sample is what follows `logger.method `; other forms: the whole line.
        const at = s.line.lastIndexOf('] ');
        const msg = at < 0 ? s.line : s.line.slice(s.line.indexOf(' ', at + 2) + 1);
        const matches = r.matchAll(msg).length;
        if (matches > 0) expect(r.mayMatch(msg, true)).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(400);
  });
});
