// The data contract between the pipeline stages (see ../shared/DESIGN.md).
// Everything here is plain, JSON-serialisable data: no classes, no I/O.

/** Normalised java.util.logging level names. */
export type Level = 'SEVERE' | 'WARNING' | 'INFO' | 'CONFIG' | 'FINE' | 'FINER' | 'FINEST';

export const LEVELS: readonly Level[] = ['SEVERE', 'WARNING', 'INFO', 'CONFIG', 'FINE', 'FINER', 'FINEST'];

/** One physical line, as framed from the byte stream. */
export interface Line {
  /** The line's text, `\r` stripped, cut at the length cap. */
  text: string;
  /** 1-based line number within its input. */
  line: number;
  /** Byte offset of the line's first byte within its input. */
  offset: number;
  /** The line was longer than the cap and was cut. */
  truncated?: boolean;
  /** The line held bytes that are not UTF-8 (decoded as U+FFFD). */
  invalidUtf8?: boolean;
}

/**
 * One log record: a record-start line plus the lines attached to it
 * (JUL second line, message continuation, stack trace).
 */
export interface LogRecord {
  /** The input it came from (a path, or '-' for stdin). */
  file: string;
  /** 1-based line number where the record starts. */
  line: number;
  /** How many physical lines the record spans. */
  lineCount: number;
  /** Byte offset of the record's first line. */
  offset: number;
  /** Epoch milliseconds; undefined for formats without time (VerbatimFormatter, systemd). */
  timeMs?: number;
  /** Minutes east of UTC used to read the time (the zone offset, for ISO rendering). */
  tzOffsetMin?: number;
  level?: Level;
  /** The level word as logged (`INFOS`, `정보`, `[crit]` ...). */
  levelRaw?: string;
  thread?: string;
  /** Fully qualified source class or logger name, as logged (may be abbreviated: `o.a.c.h.t.SimpleTcpCluster`). */
  logger?: string;
  method?: string;
  /** The message text: its first line, and any continuation lines joined with `\n`. */
  message: string;
  /** Stack-trace lines that followed the message, if any. */
  trace?: string[];
  /** Continuation/trace lines counted in `lineCount` but not kept (the assembler keeps at most 200 of each). */
  omittedLines?: number;
  /** Foreign prefix stripped from the line (docker-compose service name ...). */
  prefix?: string;
  /** Name of the format grammar and of its pattern that matched the start line. */
  format: string;
  pattern: string;
}

/** A Tribes member as printed by MemberImpl.toString(). */
export interface Member {
  /** `tcp://host:port`. */
  name: string;
  /** As the log shows it: `ip-172-31-13-12`, or `127.0.0.12` from `{127, 0, 0, 12}`. */
  host: string;
  port: number;
  /** Runtime class simple name: `MemberImpl`, `StaticMember`. */
  kind: string;
  /** Reported alive time, ms. */
  alive?: number;
  /** Unique id bytes as logged (signed), joined by spaces. */
  uniqueId?: string;
  /** Domain decoded from its bytes when complete (not truncated with `...(n)`). */
  domain?: string;
  /** Command payload decoded when complete, e.g. `BABY-ALEX` (Tribes' shutdown payload). */
  command?: string;
  /** The command bytes are Tribes' SHUTDOWN_PAYLOAD (`BABY-ALEX`): the member announced a graceful stop. */
  shutdownPayload?: boolean;
  /** The member text exactly as logged. */
  raw: string;
}

/** Event types known to the model and views. */
export type ClusterEventType =
  | 'member-added'
  | 'member-disappeared'
  | 'member-verify'
  | 'member-verified'
  | 'member-suspect'
  | 'state-transfer-requested'
  | 'state-transfer-received'
  | 'state-transfer-timeout'
  | 'state-transfer-no-manager'
  | 'state-transfer-skipped'
  | 'manager-registered'
  | 'receiver-bound'
  | 'membership-wait'
  | 'membership-established'
  | 'send-failed'
  | 'server-started'
  | 'server-stopping'
  | 'cluster-other'
  | (string & {});

/** A typed cluster event (DESIGN.md "Events"). Type-specific fields sit beside the common ones. */
export interface ClusterEvent {
  type: ClusterEventType;
  /** The node whose log it came from. */
  node: string;
  /** ISO 8601 with the zone offset used to read the log's local time; absent when the format has no time. */
  time?: string;
  timeMs?: number;
  level?: Level;
  logger?: string;
  thread?: string;
  file: string;
  line: number;
  message: string;
  /** Event grammar file and template that recognised it. */
  grammar?: string;
  member?: Member;
  manager?: string;
  clusterName?: string;
  timeoutSeconds?: number;
  sentAt?: string;
  durationMs?: number;
  verdict?: string;
  address?: string;
  port?: number;
  ms?: number;
  startLevel?: number;
  [field: string]: unknown;
}

/** Per-input accounting: every line read is counted exactly once. */
export interface InputStats {
  file: string;
  node: string;
  format?: string;
  bytes: number;
  lines: number;
  /** Lines that belong to records (start lines + attached lines). */
  recordLines: number;
  records: number;
  /** Lines that belong to no record (before the first record, or not matching any format). */
  unparsed: number;
  invalidUtf8: number;
  truncatedLines: number;
  /** Cluster-logger records that no event template recognised. */
  unrecognisedCluster: number;
  events: Record<string, number>;
  /** False when the input was read but left out of the model (a copy of another input's records). */
  used?: boolean;
  /** Why it was left out, or why it could not be read to its end. */
  note?: string;
  /** The read failed (`INPUT_UNREADABLE` message); the counts cover what was read before. */
  error?: string;
}

/** Accounting for an input before any byte was read. */
export function emptyInputStats(file: string, node: string): InputStats {
  return { file, node, bytes: 0, lines: 0, recordLines: 0, records: 0, unparsed: 0, invalidUtf8: 0, truncatedLines: 0, unrecognisedCluster: 0, events: {} };
}
