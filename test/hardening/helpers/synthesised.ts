// Synthesised inputs, each built from REAL lines of the shared corpus (never invented log text):
// the steady scenario's tomcat1/catalina.out, with addresses, managers or message parts varied.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
export { CORPUS } from '../../helpers/corpus.js';
import { CORPUS } from '../../helpers/corpus.js';

export const STEADY_TOMCAT1 = join(CORPUS, 'steady/tomcat1/catalina.out');

let steady: string[] | undefined;
const cached = new Map<string, string>();

/** The lines of steady/tomcat1/catalina.out (a fresh copy each call). */
export function steadyLines(): string[] {
  steady ??= readFileSync(STEADY_TOMCAT1, 'utf8').replace(/\n$/, '').split('\n');
  return steady.slice();
}

function once(key: string, make: () => string): string {
  let v = cached.get(key);
  if (v === undefined) cached.set(key, (v = make()));
  return v;
}

/** The real `Replication member added` line of steady/tomcat1 (its first), and its member address. */
export function realMemberAddedLine(): string {
  return once('member-added', () => {
    const line = steadyLines().find((l) => l.includes('Replication member added:['));
    if (!line) throw new Error('no member-added line in the steady corpus');
    return line;
  });
}

/** The real `Manager [...], requesting session state from [...]` line of steady/tomcat2. */
export function realRequestLine(): string {
  return once('request', () => {
    const lines = readFileSync(join(CORPUS, 'steady/tomcat2/catalina.out'), 'utf8').split('\n');
    const line = lines.find((l) => l.includes('requesting session state from ['));
    if (!line) throw new Error('no state-transfer request line in the steady corpus');
    return line;
  });
}

/** Synthesised: the real member-added line with its address replaced by 10.a.b.c (i-th distinct). */
export function synthesisedMemberAdded(i: number): string {
  const line = realMemberAddedLine();
  const addr = /tcp:\/\/([\d.]+):(\d+),([\d.]+),(\d+)/.exec(line);
  if (!addr) throw new Error('unexpected member text');
  const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  return line.replace(addr[0], `tcp://${ip}:${addr[2]},${ip},${addr[4]}`);
}

/** Synthesised: the real state-transfer request line with the manager name made distinct. */
export function synthesisedRequest(i: number): string {
  return realRequestLine().replace(/^(.*?Manager \[)([^\]]*)\]/, (_m, pre: string, name: string) => `${pre}${name}-${i}]`);
}

/**
 * Synthesised: the steady log's lines up to its first member-added line, then `members` distinct
 * member-added lines and `managers` state-transfer requests for distinct managers.
 */
export function synthesisedManyMembersLog(members: number, managers: number): string {
  const lines = steadyLines();
  const head = lines.slice(0, lines.findIndex((l) => l.includes('Replication member added:[')));
  const out = [...head];
  for (let i = 0; i < members; i++) out.push(synthesisedMemberAdded(i));
  for (let i = 0; i < managers; i++) out.push(synthesisedRequest(i));
  return `${out.join('\n')}\n`;
}

/** Splits a real oneline record into its header (time level [thread] logger.method) and message. */
export function splitOneline(line: string): { head: string; message: string } {
  const m = /^(\S+ \S+ \S+ \[.*?\] [\w$.]+ )(.*)$/.exec(line);
  if (!m) throw new Error(`not a oneline record: ${line}`);
  return { head: m[1], message: m[2] };
}
