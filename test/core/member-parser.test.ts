import { describe, expect, it } from 'vitest';
import { decodeHost, parseMember } from '../../src/core/member-parser.js';

// Real member strings from ../shared/corpus (scenarios: Tomcat 10.1; public: 7, 8.0, 9).
const STATIC_C =
  'org.apache.catalina.tribes.membership.StaticMember[tcp://127.0.0.12:4002,127.0.0.12,4002, alive=0, securePort=-1, UDP Port=-1, id={0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 2 }, payload={}, command={}, domain={108 97 98 45 99 108 117 115 116 ...(11)}]';
const SHUTDOWN =
  'org.apache.catalina.tribes.membership.StaticMember[tcp://127.0.0.11:4001,127.0.0.11,4001, alive=0, securePort=-1, UDP Port=-1, id={0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 }, payload={}, command={66 65 66 89 45 65 76 69 88 ...(9)}, domain={108 97 98 45 99 108 117 115 116 ...(11)}]';
const MCAST_9 =
  'org.apache.catalina.tribes.membership.MemberImpl[tcp://{127, 0, 0, 1}:4001,{127, 0, 0, 1},4001, alive=1005, securePort=-1, UDP Port=-1, id={31 -32 -28 10 -89 -127 74 -105 -73 -39 57 56 -3 -95 -119 111 }, payload={}, command={}, domain={}]';
const SEED_7 =
  'org.apache.catalina.tribes.membership.MemberImpl[tcp://ip-172-31-13-12:4000,ip-172-31-13-12,4000, alive=0, securePort=-1, UDP Port=-1, id={0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 }, payload={}, command={}, domain={112 117 98 108 105 115 104 45 99 ...(15)}, ]';

describe('parseMember', () => {
  it('parses a 10.1 StaticMember (`]` tail, truncated domain kept undecoded)', () => {
    expect(parseMember(STATIC_C)).toEqual({
      name: 'tcp://127.0.0.12:4002',
      host: '127.0.0.12',
      port: 4002,
      kind: 'StaticMember',
      alive: 0,
      uniqueId: '0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 2',
      raw: STATIC_C,
    });
  });

  it('decodes the BABY-ALEX shutdown command (9 of 9 bytes printed is complete) and flags it', () => {
    const m = parseMember(SHUTDOWN);
    expect(m?.command).toBe('BABY-ALEX');
    expect(m?.shutdownPayload).toBe(true);
    expect(m?.domain).toBeUndefined();
    expect(parseMember(STATIC_C)?.shutdownPayload).toBeUndefined();
  });

  it('decodes a byte-list host and keeps signed id bytes', () => {
    const m = parseMember(MCAST_9);
    expect(m).toMatchObject({ name: 'tcp://127.0.0.1:4001', host: '127.0.0.1', port: 4001, kind: 'MemberImpl', alive: 1005, domain: '' });
    expect(m?.uniqueId).toBe('31 -32 -28 10 -89 -127 74 -105 -73 -39 57 56 -3 -95 -119 111');
    expect(m?.command).toBeUndefined();
  });

  it('parses the Tomcat 7 `, ]` tail with a host name', () => {
    expect(parseMember(SEED_7)).toMatchObject({ name: 'tcp://ip-172-31-13-12:4000', host: 'ip-172-31-13-12', port: 4000, kind: 'MemberImpl', alive: 0 });
    expect(parseMember(SEED_7)?.domain).toBeUndefined();
  });

  it('decodes a complete domain and a Tomcat 6 member without securePort/UDP Port', () => {
    const m = parseMember(
      'org.apache.catalina.tribes.membership.MemberImpl[tcp://{10, 0, 0, 5}:4000,{10, 0, 0, 5},4000, alive=2536, id={90 -10 116 -67 -56 -126 67 -127 -107 -64 -50 14 64 -71 81 7 }, payload={}, command={}, domain={97 98 99 }, ]',
    );
    expect(m).toMatchObject({ host: '10.0.0.5', port: 4000, alive: 2536, domain: 'abc' });
  });

  it('accepts any membership class and IPv6 byte lists', () => {
    const v6 = parseMember(
      'com.example.MyMember[tcp://{254, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}:4000,{254, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},4000, alive=0, securePort=-1, UDP Port=-1, id={}, payload={}, command={}, domain={}]',
    );
    expect(v6).toMatchObject({ host: 'fe80::1', name: 'tcp://[fe80::1]:4000', kind: 'MyMember' });
  });

  it('parses ParallelNioSender member names', () => {
    expect(parseMember('tcp://{10, 0, 0, 2}:4000')).toEqual({ name: 'tcp://10.0.0.2:4000', host: '10.0.0.2', port: 4000, kind: '', raw: 'tcp://{10, 0, 0, 2}:4000' });
    expect(parseMember('tcp://127.0.0.12:4002')).toMatchObject({ host: '127.0.0.12', port: 4002 });
  });

  it('gives each caller its own copy of a member parsed before (the parse is reused, not the object)', () => {
    const first = parseMember(SEED_7)!;
    first.host = 'changed by a caller';
    const again = parseMember(SEED_7)!;
    expect(again).not.toBe(first);
    expect(again.host).toBe('ip-172-31-13-12');
    expect(again).toEqual({ ...first, host: 'ip-172-31-13-12' });
    expect(parseMember('not a member')).toBeUndefined();
    expect(parseMember('not a member')).toBeUndefined();
  });

  it('returns undefined for other text', () => {
    for (const s of ['', 'localhost#/app', 'org.apache.catalina.session.StandardManager[/examples]', 'tcp://host', 'MemberImpl[tcp://a:1']) {
      expect(parseMember(s), s).toBeUndefined();
    }
  });

  it('decodeHost leaves names and odd lists alone', () => {
    expect(decodeHost('{172, 16, 0, 102}')).toBe('172.16.0.102');
    expect(decodeHost('{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}')).toBe('::1');
    expect(decodeHost('{1, 2, 3}')).toBe('{1, 2, 3}');
    expect(decodeHost('node-a')).toBe('node-a');
  });
});
