// The text report: read top-down. Nodes and runs, a membership timeline drawn in text, transfers,
// latency, findings with evidence, accounting. Every log-derived string goes through the sanitiser.

import { sanitizeForTerminal } from '../core/sanitize.js';
import type { ClusterSnapshot, Finding, LatencyStats, MembershipRow, Severity } from '../core/snapshot.js';
import { PLAIN, type Paint } from './paint.js';

export interface TextOptions {
  /** Colours: `colorPaint()` (chalk); default none. */
  paint?: Paint;
  width: number;
}

const s = (text: unknown): string => sanitizeForTerminal(String(text ?? ''));

function shortTime(iso: string | undefined, ms?: number): string {
  const text = iso ?? (ms !== undefined && Number.isFinite(ms) ? new Date(ms).toISOString() : '');
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d(?:\.\d{3})?)/.exec(text);
  return m ? `${m[1]} ${m[2]}` : s(text) || '?';
}

function clock(iso: string | undefined, ms?: number): string {
  const t = shortTime(iso, ms);
  return t.length > 11 ? t.slice(11) : t;
}

function pad(text: string, n: number): string {
  return text.length >= n ? text.slice(0, n) : text + ' '.repeat(n - text.length);
}

function padStart(text: string, n: number): string {
  return text.length >= n ? text : ' '.repeat(n - text.length) + text;
}

export function wrap(text: string, width: number, indent: string): string[] {
  const max = Math.max(20, width - indent.length);
  const words: string[] = [];
  for (const w of text.split(/\s+/).filter(Boolean)) {
    for (let i = 0; i < w.length; i += max) words.push(w.slice(i, i + max));
  }
  const out: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > max) {
      out.push(indent + line);
      line = '';
    }
    line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(indent + line);
  return out;
}

function table(rows: string[][], width: number): string[] {
  if (rows.length === 0) return [];
  const cols = rows[0].length;
  const widths = Array.from({ length: cols }, (_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === cols - 1 ? cell : pad(cell, widths[c]))).join('  ').slice(0, width - 2).trimEnd());
}

function durationText(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 10_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function statsText(st: LatencyStats): string {
  if (st.count === 0) return `none received${st.timeouts ? `, ${st.timeouts} timed out` : ''}`;
  return `${st.count} received: min ${st.min} ms, p50 ${st.p50} ms, p95 ${st.p95} ms, max ${st.max} ms${st.timeouts ? `, ${st.timeouts} timed out` : ''}`;
}

function timeline(snap: ClusterSnapshot, rows: MembershipRow[], width: number, c: Paint): string[] {
  const from = snap.span.fromMs;
  const to = snap.span.toMs;
  if (from === undefined || to === undefined || rows.length === 0) return rows.length ? ['  (no times in these logs: no timeline)'] : ['  (no member was ever added)'];
  const labels = rows.map((r) => `${s(r.observer)} sees ${s(r.member)}${r.resolved ? '' : ' ?'}`);
  const labelW = Math.min(Math.max(...labels.map((l) => l.length)), Math.max(12, Math.floor(width / 3)));
  const cols = Math.max(10, width - labelW - 4);
  const span = Math.max(1, to - from);
  const col = (ms: number) => Math.min(cols - 1, Math.max(0, Math.floor(((ms - from) / span) * cols)));
  const out: string[] = [];
  const axisL = clock(snap.span.from, from);
  const axisR = clock(snap.span.to, to);
  out.push(`  ${pad('', labelW)}  ${axisL}${padStart(axisR, cols - axisL.length)}`);
  rows.forEach((r, i) => {
    const cells: string[] = Array(cols).fill(' ');
    for (const iv of r.intervals) {
      const a = col(iv.fromMs ?? from);
      const b = col(iv.toMs ?? to);
      for (let x = a; x <= b; x++) cells[x] = '=';
      if (iv.fromMs !== undefined) cells[a] = '+';
      if (iv.endReason === 'disappeared') cells[b] = iv.detection === 'shutdown notice' ? '-' : 'x';
      else if (iv.endReason === 'observer-stopped') cells[b] = ']';
      else cells[b] = '>';
    }
    const line = cells
      .map((ch) => (ch === 'x' ? c.red(ch) : ch === '+' ? c.green(ch) : ch === '=' ? c.cyan(ch) : ch))
      .join('');
    out.push(`  ${pad(labels[i], labelW)}  ${line}`);
  });
  out.push(...wrap('+ joined, = in view, x lost, - left (shutdown notice), ] observer stopped, > still in view', width, '  ').map((l) => c.dim(l)));
  return out;
}

function severityTag(sev: Severity, c: Paint): string {
  const tag = sev.toUpperCase().padEnd(7);
  return sev === 'error' ? c.red.bold(tag) : sev === 'warning' ? c.yellow(tag) : c.blue(tag);
}

function findingLines(f: Finding, width: number, c: Paint): string[] {
  const tag = f.severity.toUpperCase().padEnd(7);
  const head = wrap(`${tag} ${s(f.kind)}${f.node ? ` ${s(f.node)}` : ''}${f.time ? ` at ${shortTime(f.time, f.timeMs)}` : ''}`, width, '  ');
  head[0] = head[0].replace(tag, severityTag(f.severity, c));
  const out = [...head, ...wrap(s(f.message), width, '      ')];
  if (f.evidence.length) out.push(...wrap(`evidence: ${f.evidence.map(s).join(', ')}`, width, '      ').map((l) => c.dim(l)));
  return out;
}

export function renderText(snap: ClusterSnapshot, opts: TextOptions): string {
  const c = opts.paint ?? PLAIN;
  const width = Math.max(40, Math.floor(opts.width) || 80);
  const out: string[] = [];
  const h = (title: string) => {
    out.push('');
    out.push(c.bold(title));
  };
  out.push(...wrap(`catalina-lens ${s(snap.version)}: ${snap.nodes.length} node${snap.nodes.length === 1 ? '' : 's'}, ${shortTime(snap.span.from, snap.span.fromMs)} to ${shortTime(snap.span.to, snap.span.toMs)}${snap.live ? ' (live)' : ''}`, width, '').map((l) => c.bold(l)));

  h('Nodes');
  for (const n of snap.nodes) {
    const addr = n.address ? `${s(n.address)} (${n.addressSource ?? '?'})` : 'address unknown';
    const head = wrap(`${s(n.name)}  ${addr}${n.addresses && n.addresses.length > 1 ? `; bound ${n.addresses.map(s).join(', ')}` : ''}`, width, '  ');
    head[0] = head[0].replace(s(n.name), c.bold(s(n.name)));
    out.push(...head);
    n.runs.forEach((r, i) => {
      out.push(...wrap(`run ${i + 1}: ${shortTime(r.start, r.startMs)} to ${r.endMs !== undefined ? clock(r.end, r.endMs) : '?'}  ${r.endReason}  (${s(r.file)}:${r.line})`, width, '    '));
    });
  }

  h('Membership (who sees whom)');
  out.push(...timeline(snap, snap.membership, width, c));

  h('State transfers');
  const xfers = snap.transfers;
  if (xfers.length === 0) out.push('  none');
  else {
    const rows = [['requester', 'manager', 'provider', 'requested', 'outcome', 'duration']];
    for (const t of xfers) {
      rows.push([s(t.node), s(t.manager), s(t.provider ?? t.member ?? '-'), t.requestedAt || t.requestedAtMs !== undefined ? clock(t.requestedAt, t.requestedAtMs) : '?', t.outcome, durationText(t.durationMs)]);
    }
    const lines = table(rows, width);
    out.push(...lines.map((l, i) => (i === 0 ? c.dim(`  ${l}`) : `  ${l.replace(/\btimeout\b/, c.red('timeout'))}`)));
  }

  h('Latency (state transfers received)');
  out.push(`  overall: ${statsText(snap.latency.overall)}`);
  for (const [label, map] of [['requester', snap.latency.byRequester], ['provider', snap.latency.byProvider], ['manager', snap.latency.byManager]] as const) {
    for (const [k, st] of Object.entries(map)) out.push(...wrap(`${label} ${s(k)}: ${statsText(st)}`, width, '  '));
  }

  h(`Findings (${snap.findings.length})`);
  if (snap.findings.length === 0) out.push('  none');
  for (const f of snap.findings) out.push(...findingLines(f, width, c));

  if (snap.notes.length) {
    h('Notes');
    for (const n of snap.notes) out.push(...wrap(s(n), width, '  '));
  }

  h('Accounting');
  const k = snap.counts;
  const evTotal = Object.values(k.events).reduce((a, b) => a + b, 0);
  out.push(
    ...wrap(
      `${k.inputs} input${k.inputs === 1 ? '' : 's'}, ${k.lines} lines, ${k.records} records, ${k.unparsed} unparsed lines, ${k.unrecognisedCluster} unrecognised cluster records, ${evTotal} events${evTotal ? ` (${Object.entries(k.events).map(([t, n]) => `${s(t)} ${n}`).join(', ')})` : ''}${k.invalidUtf8 ? `, ${k.invalidUtf8} lines not valid in the logs' encoding (UTF-8 unless --encoding names another)` : ''}${k.truncatedLines ? `, ${k.truncatedLines} cut lines` : ''}`,
      width,
      '  ',
    ),
  );
  return out.join('\n') + '\n';
}
