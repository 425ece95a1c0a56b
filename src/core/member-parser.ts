// Parses a Tribes member as Tomcat prints it (MemberImpl.toString(), tomcat-messages.md §3):
//   org.apache.catalina.tribes.membership.StaticMember[tcp://127.0.0.12:4002,127.0.0.12,4002, alive=0,
//     securePort=-1, UDP Port=-1, id={0 0 ... 2 }, payload={}, command={}, domain={108 97 ...(11)}]
// and the bare member names of the ParallelNioSender messages (`tcp://{10, 0, 0, 2}:4000`).

import type { Member } from './types.js';

/** A parsed member. `shutdownPayload` is an extra beside the Member contract. */
export interface ParsedMember extends Member {
  /**
   * The command bytes are Tribes' shutdown payload `BABY-ALEX` (Member.SHUTDOWN_PAYLOAD): the
   * member announced a graceful stop. Present (true) only when detected.
   */
  shutdownPayload?: true;
}

/** `BABY-ALEX` as bytes: Tribes' Member.SHUTDOWN_PAYLOAD. */
const SHUTDOWN_PAYLOAD = [66, 65, 66, 89, 45, 65, 76, 69, 88];

const HOST = String.raw`\{[-\d, ]*\}|[^,{}\s]+?`;
const BYTES = String.raw`\{[^{}]*\}`;
const FULL_RE = new RegExp(
  String.raw`^([\w$.]+)\[tcp://(${HOST}):(\d+),(${HOST}|),(\d+)` +
    String.raw`(?:, alive=(-?\d+))?(?:, securePort=(-?\d+))?(?:, UDP Port=(-?\d+))?` +
    String.raw`(?:, id=(${BYTES}))?(?:, payload=(${BYTES}))?(?:, command=(${BYTES}))?(?:, domain=(${BYTES}))?(?:, )?\]$`,
);
const NAME_RE = new RegExp(String.raw`^tcp://(${HOST}):(\d+)$`);

/** A `{…}` byte list as Tribes prints it: signed values, then `...(n)` when cut after 9 values. */
interface ByteList {
  values: number[];
  /** The full length when `...(n)` was printed. */
  length?: number;
}

function parseBytes(text: string): ByteList | undefined {
  const m = /^\{((?:-?\d+ )*)(?:\.\.\.\((\d+)\))?\}$/.exec(text);
  if (!m) return undefined;
  const values = m[1] ? m[1].trim().split(' ').map(Number) : [];
  return { values, length: m[2] !== undefined ? Number(m[2]) : undefined };
}

/** True when every byte was printed (bToS prints index 0..8 then `...(n)`, so n = 9 is still complete). */
function complete(b: ByteList): boolean {
  return b.length === undefined || b.length === b.values.length;
}

function decodeAscii(values: number[]): string {
  return Buffer.from(values.map((v) => v & 0xff)).toString('utf8');
}

function ipv6(bytes: number[]): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff));
  // RFC 5952: compress the longest run (length >= 2) of zero words.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** `{127, 0, 0, 1}` → `127.0.0.1`; 16 numbers → IPv6 text; anything else is returned as logged. */
export function decodeHost(text: string): string {
  if (!text.startsWith('{')) return text;
  const nums = text
    .slice(1, -1)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (nums.some((n) => !Number.isInteger(n))) return text;
  if (nums.length === 4) return nums.map((n) => n & 0xff).join('.');
  if (nums.length === 16) return ipv6(nums);
  return text;
}

function nameOf(host: string, port: number): string {
  return host.includes(':') ? `tcp://[${host}]:${port}` : `tcp://${host}:${port}`;
}

/**
 * Parses a member's text, or returns undefined when it is not a Tribes member.
 * `name` is normalised to `tcp://host:port` with the decoded host (IPv6 in brackets), so the same
 * member reads the same whether it was printed as a byte list or a name; `raw` keeps the text.
 * A bare name (`tcp://{10, 0, 0, 2}:4000`) yields `kind: ''`.
 */
export function parseMember(text: string): ParsedMember | undefined {
  let parsed = recent.get(text);
  if (parsed === undefined) {
    if (recent.size >= RECENT_MAX) recent.clear();
    parsed = parseMemberText(text) ?? null;
    recent.set(text, parsed);
  }
  // A copy: each event owns its member, whatever a caller does to it.
  return parsed === null ? undefined : { ...parsed };
}

/**
 * Members parsed lately, by their text. A cluster logs the same few members again and again (each
 * membership message, each failure-detector check), and parsing one (its byte lists) costs far
 * more than a lookup.
 */
const recent = new Map<string, ParsedMember | null>();
const RECENT_MAX = 1024;

function parseMemberText(text: string): ParsedMember | undefined {
  const raw = text;
  const t = text.trim();
  const full = FULL_RE.exec(t);
  if (full) {
    const [, cls, nameHost, namePort, hostField, portField, alive, , , id, , command, domain] = full;
    const host = decodeHost(hostField || nameHost);
    const port = Number(portField || namePort);
    const kind = cls.slice(cls.lastIndexOf('.') + 1);
    const member: ParsedMember = { name: nameOf(host, port), host, port, kind, raw };
    if (alive !== undefined) member.alive = Number(alive);
    if (id !== undefined) {
      const b = parseBytes(id);
      if (b) member.uniqueId = b.values.join(' ');
    }
    if (domain !== undefined) {
      const b = parseBytes(domain);
      if (b && complete(b)) member.domain = decodeAscii(b.values);
    }
    if (command !== undefined) {
      const b = parseBytes(command);
      if (b && b.values.length > 0) {
        if (complete(b)) member.command = decodeAscii(b.values);
        if (SHUTDOWN_PAYLOAD.every((v, i) => b.values[i] === v)) member.shutdownPayload = true;
      }
    }
    return member;
  }
  const bare = NAME_RE.exec(t);
  if (bare) {
    const host = decodeHost(bare[1]);
    const port = Number(bare[2]);
    return { name: nameOf(host, port), host, port, kind: '', raw };
  }
  return undefined;
}
