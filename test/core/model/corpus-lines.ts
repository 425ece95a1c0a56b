// Test helper: builds ClusterEvents from REAL corpus lines (read from the files at the given line
// numbers, never typed in), with their real times read as UTC. Only what the model needs.

import { readFileSync } from 'node:fs';
import type { ClusterEvent, Member } from '../../../src/core/types.js';
export { CORPUS } from '../../helpers/corpus.js';
import { CORPUS } from '../../helpers/corpus.js';

const cache = new Map<string, string[]>();

export function lineOf(path: string, n: number): string {
  let lines = cache.get(path);
  if (!lines) cache.set(path, (lines = readFileSync(path, 'utf8').split('\n')));
  const text = lines[n - 1];
  if (text === undefined) throw new Error(`${path} has no line ${n}`);
  return text;
}

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

/** Time and message of a OneLineFormatter, logback (yunghun97) or two-line JUL (header line n-1) record. */
function parse(path: string, n: number): { timeMs: number; message: string; level?: string; thread?: string; logger?: string } {
  const text = lineOf(path, n);
  let m = /^(\d\d)-(\w{3})-(\d{4}) (\d\d):(\d\d):(\d\d)\.(\d{3}) (\w+) \[(.*?)\] (\S+) (.*)$/.exec(text);
  if (m) {
    const timeMs = Date.UTC(+m[3], MONTHS[m[2]], +m[1], +m[4], +m[5], +m[6], +m[7]);
    return { timeMs, level: m[8], thread: m[9], logger: m[10], message: m[11] };
  }
  m = /^\[(\w+) *\] (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3}) \[(.*?)\]\[.*?\] (\S+) - (.*)$/.exec(text);
  if (m) {
    const timeMs = Date.UTC(+m[2], +m[3] - 1, +m[4], +m[5], +m[6], +m[7], +m[8]);
    return { timeMs, level: m[1], thread: m[9], logger: m[10], message: m[11] };
  }
  const head = lineOf(path, n - 1);
  const h = /^(\d\d)\/(\d\d)\/(\d{4}) (\d{1,2}):(\d\d):(\d\d) (AM|PM) (\S+)/.exec(head);
  const body = /^(\w+): (.*)$/.exec(text);
  if (h && body) {
    const hour = (+h[4] % 12) + (h[7] === 'PM' ? 12 : 0);
    return { timeMs: Date.UTC(+h[3], +h[2] - 1, +h[1], hour, +h[5], +h[6]), level: body[1], logger: h[8], message: body[2] };
  }
  throw new Error(`${path}:${n} is not a record start: ${text.slice(0, 80)}`);
}

/** The first member printed in a message: `tcp://127.0.0.12:4002` or `tcp://{127, 0, 0, 12}:4002`. */
export function memberIn(message: string): Member {
  const m = /(\w+)\[tcp:\/\/(\{[\d, ]+\}|[^:,\]]+):(\d+),.*?\]/.exec(message) ?? /()tcp:\/\/(\{[\d, ]+\}|[^:,\]]+):(\d+)/.exec(message);
  if (!m) throw new Error(`no member in ${message.slice(0, 80)}`);
  const host = m[2].startsWith('{') ? m[2].slice(1, -1).split(',').map((s) => s.trim()).join('.') : m[2];
  const alive = /alive=(\d+)/.exec(message);
  const id = /id=\{([-\d ]+?) ?\}/.exec(message);
  const cmd = /command=\{([\d ]*?)(?: \.\.\.\((\d+)\))?\}/.exec(message);
  let command: string | undefined;
  if (cmd && cmd[1]) {
    const bytes = cmd[1].trim().split(/\s+/).map(Number);
    if (!cmd[2] || Number(cmd[2]) === bytes.length) command = String.fromCharCode(...bytes);
  }
  return { name: `tcp://${host}:${m[3]}`, host, port: Number(m[3]), kind: m[1], alive: alive ? Number(alive[1]) : undefined, uniqueId: id?.[1], command, raw: m[0] };
}

/** An event of `type` from the real record at `file:line`. */
export function ev(node: string, file: string, line: number, type: string, fields: Partial<ClusterEvent> = {}): ClusterEvent {
  const path = file.startsWith('/') ? file : `${CORPUS}/${file}`;
  const p = parse(path, line);
  const e: ClusterEvent = {
    type,
    node,
    time: new Date(p.timeMs).toISOString(),
    timeMs: p.timeMs,
    level: p.level as ClusterEvent['level'],
    logger: p.logger,
    thread: p.thread,
    file: path,
    line,
    message: p.message,
  };
  if (/^(member-|state-transfer-requested|send-failed)/.test(type) && !('member' in fields) && /tcp:\/\//.test(p.message)) e.member = memberIn(p.message);
  const mgr = /Manager \[?([^\]\s,;:]+)/.exec(p.message);
  if (/^state-transfer|manager-/.test(type) && mgr) e.manager = mgr[1];
  const dur = /(?:received in|timing out after) \[?([\d,]+)\]? ms/.exec(p.message);
  if (dur) e.durationMs = Number(dur[1].replace(/,/g, ''));
  const within = /within \[?(\d+)\]? seconds/.exec(p.message);
  if (within) e.timeoutSeconds = Number(within[1]);
  const bound = /bound to:\[?(?:[^/\s]*)\/([\d.]+):(\d+)/.exec(p.message);
  if (type === 'receiver-bound' && bound) {
    e.address = bound[1];
    e.port = Number(bound[2]);
  }
  return Object.assign(e, fields);
}

/** Stable merge by time, as the pipeline does. */
export function merged(events: ClusterEvent[]): ClusterEvent[] {
  return events.map((e, i) => [e, i] as const).sort((a, b) => (a[0].timeMs ?? 0) - (b[0].timeMs ?? 0) || a[1] - b[1]).map(([e]) => e);
}

/** The state-timeout scenario's files: tomcat2 asks paused tomcat1 for state and times out. */
export const STATE_TIMEOUT_A = 'state-timeout/tomcat1/catalina.out';
export const STATE_TIMEOUT_B = 'state-timeout/tomcat2/catalina.out';

/** The state-timeout scenario's cluster events, from its real lines (shared by the model and report tests). */
export function stateTimeoutEvents(): ClusterEvent[] {
  const A = STATE_TIMEOUT_A;
  const B = STATE_TIMEOUT_B;
  return [
    ev('tomcat1', A, 1, 'server-version'),
    ev('tomcat1', A, 40, 'receiver-bound'),
    ev('tomcat1', A, 44, 'state-transfer-skipped'),
    ev('tomcat1', A, 50, 'member-added'),
    ev('tomcat1', A, 51, 'member-suspect', { verdict: 'alive' }),
    ev('tomcat1', A, 52, 'member-disappeared'),
    ev('tomcat1', A, 53, 'server-stopping'),
    ev('tomcat2', B, 1, 'server-version'),
    ev('tomcat2', B, 40, 'receiver-bound'),
    ev('tomcat2', B, 41, 'member-added'),
    ev('tomcat2', B, 46, 'state-transfer-requested'),
    ev('tomcat2', B, 47, 'state-transfer-timeout', { sentAt: '11/26/26, 3:08 PM' }),
    ev('tomcat2', B, 52, 'server-stopping'),
  ];
}
