// Command-line parsing: one table of options, shared by every command, checked before any work.

import { parseArgs } from 'node:util';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const COMMANDS = ['analyze', 'tail', 'events', 'grammars'] as const;
export type Command = (typeof COMMANDS)[number];

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  node: { type: 'string', multiple: true },
  tz: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  grammar: { type: 'string', multiple: true },
  'log-format': { type: 'string' },
  'date-order': { type: 'string' },
  encoding: { type: 'string' },
  'no-color': { type: 'boolean' },
  color: { type: 'boolean' },
  text: { type: 'boolean' },
  json: { type: 'boolean' },
  csv: { type: 'boolean' },
  ndjson: { type: 'boolean' },
  dashboard: { type: 'boolean' },
  'slow-ms': { type: 'string' },
  'flap-count': { type: 'string' },
  'flap-window': { type: 'string' },
  'fail-on': { type: 'string' },
  all: { type: 'boolean' },
  stats: { type: 'boolean' },
  test: { type: 'boolean' },
  poll: { type: 'boolean' },
  lines: { type: 'string', short: 'n' },
  'from-start': { type: 'boolean' },
  'partial-ms': { type: 'string' },
} as const;

export interface CliArgs {
  command: Command;
  paths: string[];
  help: boolean;
  version: boolean;
  nodes: Record<string, string>;
  tz?: string;
  since?: string;
  until?: string;
  grammars: string[];
  logFormat?: string;
  dateOrder?: 'dmy' | 'mdy';
  encoding?: string;
  color?: boolean;
  text: boolean;
  json: boolean;
  csv: boolean;
  ndjson: boolean;
  dashboard: boolean;
  slowMs?: number;
  flapCount?: number;
  flapWindowMs?: number;
  failOn?: 'timeout' | 'error' | 'warning';
  all: boolean;
  stats: boolean;
  test: boolean;
  poll: boolean;
  lines: number;
  fromStart: boolean;
  partialMs: number;
}

export function parseCli(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional.*$/s, ''));
  }
  const v = parsed.values;
  const [first, ...rest] = parsed.positionals;
  let command: Command = 'analyze';
  let paths = parsed.positionals;
  if (first !== undefined && (COMMANDS as readonly string[]).includes(first)) {
    command = first as Command;
    paths = rest;
  } else if (first !== undefined && !v.help && !v.version && /^[a-z]+$/.test(first) && !first.includes('.')) {
    // A bare word that is no command and no file is far more likely a typo than a log named "anlyze".
    throw new UsageError(`unknown command "${first}"; commands: ${COMMANDS.join(', ')}`);
  }
  const outputs = [v.text, v.json, v.csv, v.ndjson, v.dashboard].filter(Boolean).length;
  if (outputs > 1) throw new UsageError('choose one of --text, --json, --csv, --ndjson, --dashboard');
  if (v.csv && command !== 'analyze') throw new UsageError('--csv is for analyze');
  if (v.ndjson && command !== 'tail') throw new UsageError('--ndjson is for tail (events always prints NDJSON)');
  const dateOrder = v['date-order'];
  if (dateOrder !== undefined && dateOrder !== 'dmy' && dateOrder !== 'mdy') {
    throw new UsageError(`--date-order must be dmy or mdy, got "${dateOrder}"`);
  }
  const failOn = v['fail-on'];
  if (failOn !== undefined && failOn !== 'timeout' && failOn !== 'error' && failOn !== 'warning') {
    throw new UsageError(`--fail-on must be timeout, error or warning, got "${failOn}"`);
  }
  return {
    command,
    paths,
    help: v.help ?? false,
    version: v.version ?? false,
    nodes: parseNodes(v.node ?? []),
    tz: v.tz,
    since: v.since,
    until: v.until,
    grammars: v.grammar ?? [],
    logFormat: v['log-format'],
    dateOrder,
    encoding: v.encoding,
    color: v['no-color'] ? false : v.color ? true : undefined,
    text: v.text ?? false,
    json: v.json ?? false,
    csv: v.csv ?? false,
    ndjson: v.ndjson ?? false,
    dashboard: v.dashboard ?? false,
    slowMs: optionalInt('--slow-ms', v['slow-ms'], 0),
    flapCount: optionalInt('--flap-count', v['flap-count'], 1),
    flapWindowMs: v['flap-window'] === undefined ? undefined : parseDuration('--flap-window', v['flap-window']),
    failOn,
    all: v.all ?? false,
    stats: v.stats ?? false,
    test: v.test ?? false,
    poll: v.poll ?? false,
    lines: optionalInt('--lines', v.lines, 0) ?? 0,
    fromStart: v['from-start'] ?? false,
    partialMs: optionalInt('--partial-ms', v['partial-ms'], 0) ?? 1000,
  };
}

function parseNodes(pairs: string[]): Record<string, string> {
  const nodes: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new UsageError(`--node takes NAME=PATH, got "${pair}"`);
    nodes[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return nodes;
}

function optionalInt(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`${name} takes a whole number >= ${min}, got "${value}"`);
  return Number(value);
}

const DURATION = /^(\d+)(ms|s|m|h)?$/;
const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function parseDuration(name: string, value: string): number {
  const m = DURATION.exec(value);
  if (!m) throw new UsageError(`${name} takes a duration like 90s, 10m or 1h, got "${value}"`);
  return Number(m[1]) * DURATION_MS[m[2] ?? 's'];
}
