// The cluster model's snapshot: what `analyze --json` prints and what every view reads.
// Plain JSON data. Times are carried twice: ISO text for people and scripts, epoch ms for views.

import type { InputStats } from './types.js';

export type Severity = 'error' | 'warning' | 'info';

export interface NodeRun {
  /** When this JVM lifetime started (first record of the run), epoch ms. */
  startMs?: number;
  start?: string;
  /** When it ended (last record of the run), epoch ms. */
  endMs?: number;
  end?: string;
  /** How the run ended: a graceful stop was logged, the log simply ends, or a new start followed without a stop. */
  endReason: 'stopped' | 'log-ended' | 'restarted';
  file: string;
  line: number;
}

export interface NodeInfo {
  name: string;
  /** Input files read for this node, in the order read. */
  files: string[];
  /** Cluster address `host:port` from its own `receiver-bound` record (or inferred). */
  address?: string;
  host?: string;
  port?: number;
  /** How the address was learned. */
  addressSource?: 'receiver-bound' | 'option' | 'inferred';
  /** Every address its receiver bound, in order, when it bound more than one (added by the model). */
  addresses?: string[];
  runs: NodeRun[];
}

export type IntervalEndReason = 'disappeared' | 'observer-stopped' | 'open';

export interface MembershipInterval {
  fromMs?: number;
  from?: string;
  toMs?: number;
  to?: string;
  endReason: IntervalEndReason;
  /** `file:line` of the opening and closing records. */
  evidence: string[];
  /** Failure-detector path that closed it, e.g. `verify → disappeared`. */
  detection?: string;
  /** How long after the member's last sign of life the observer dropped it, ms (added by the model). */
  detectionMs?: number;
  /** The member's last sign of life: its own log's last event of that run (members that are inputs). */
  lastSignOfLifeMs?: number;
  lastSignOfLife?: string;
  /** The observer's first failure-detector record or send failure about the member before the loss. */
  suspected?: string;
}

export interface MembershipRow {
  observer: string;
  /** The member resolved to a node name, else its address. */
  member: string;
  /** The member's address `host:port`. */
  memberAddress: string;
  /** True when the member resolved to one of the input nodes. */
  resolved: boolean;
  intervals: MembershipInterval[];
  /** Times the member was lost and re-added within the flap window. */
  flaps: number;
  /** Times it was lost and re-added after the member itself restarted (not flapping; added by the model). */
  rejoins?: number;
  /** Oldest intervals dropped to bound memory (added by the model). */
  droppedIntervals?: number;
}

export type TransferOutcome = 'received' | 'timeout' | 'no-manager' | 'skipped' | 'unknown';

export interface Transfer {
  /** The requesting node. */
  node: string;
  manager: string;
  /** The requested member's address (`host:port`); absent for skipped transfers. */
  member?: string;
  /** The requested member resolved to a node name. */
  provider?: string;
  requestedAt?: string;
  requestedAtMs?: number;
  outcome: TransferOutcome;
  durationMs?: number;
  timeoutSeconds?: number;
  file: string;
  line: number;
  /** `file:line` of the outcome record. */
  outcomeEvidence?: string;
  /** When the outcome was logged (added by the model). */
  outcomeAtMs?: number;
  outcomeAt?: string;
}

export interface LatencyStats {
  count: number;
  min?: number;
  p50?: number;
  p95?: number;
  max?: number;
  timeouts: number;
}

export interface LatencySummary {
  overall: LatencyStats;
  byRequester: Record<string, LatencyStats>;
  byProvider: Record<string, LatencyStats>;
  byManager: Record<string, LatencyStats>;
}

export interface Finding {
  kind: string;
  severity: Severity;
  node?: string;
  time?: string;
  timeMs?: number;
  message: string;
  /** `file:line` references a person can open. */
  evidence: string[];
}

export interface Counts {
  inputs: number;
  bytes: number;
  lines: number;
  records: number;
  recordLines: number;
  unparsed: number;
  invalidUtf8: number;
  truncatedLines: number;
  unrecognisedCluster: number;
  events: Record<string, number>;
}

export interface ClusterSnapshot {
  version: string;
  /** Earliest and latest event time seen, epoch ms. */
  span: { fromMs?: number; toMs?: number; from?: string; to?: string };
  live: boolean;
  inputs: InputStats[];
  nodes: NodeInfo[];
  membership: MembershipRow[];
  transfers: Transfer[];
  latency: LatencySummary;
  findings: Finding[];
  counts: Counts;
  /** Notes about bounds that were hit (too many members, ...). */
  notes: string[];
}
