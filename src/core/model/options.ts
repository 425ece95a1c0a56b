// Options of the cluster model, with their defaults, validated once at construction.

import { LensError } from '../errors.js';

export interface ModelNodeOption {
  name: string;
  /** Cluster address `host:port` given with `--node` (used until the node's own `receiver-bound`). */
  address?: string;
}

export interface ModelOptions {
  nodes?: ModelNodeOption[];
  /** A received transfer slower than this is a finding (ms). Default 1000. */
  slowMs?: number;
  /** Lost and re-added this many times within `flapWindowMs` is flapping. Default 2. */
  flapCount?: number;
  /** Default 10 minutes. */
  flapWindowMs?: number;
  /** Views may disagree this long before it is a finding (ms). Default 30 000. */
  disagreeGraceMs?: number;
  /** Bound on distinct members, managers and observer/member rows the model tracks. Default 10 000. */
  maxMembers?: number;
  /**
   * Bound on stored transfers: the most recent ones are kept, older ones dropped (and counted in a
   * note). Default 100 000, in live mode `maxHistory`.
   */
  maxTransfers?: number;
  /**
   * How many entries each per-event history keeps, the most recent ones: each node's runs, the
   * receiver binds, each member row's intervals and flaps, each address's claims, the start
   * failures. Older entries are dropped and counted in a note, and findings that compare histories
   * (views that disagree) only look at the time they all cover. Default 2 000 in live mode (a tail
   * runs for days), 10 000 otherwise.
   */
  maxHistory?: number;
  live?: boolean;
  version?: string;
}

export interface ResolvedOptions {
  nodes: ModelNodeOption[];
  slowMs: number;
  flapCount: number;
  flapWindowMs: number;
  disagreeGraceMs: number;
  maxMembers: number;
  maxTransfers: number;
  maxHistory: number;
  live: boolean;
  version: string;
}

export const DEFAULTS = {
  slowMs: 1000,
  flapCount: 2,
  flapWindowMs: 10 * 60_000,
  disagreeGraceMs: 30_000,
  maxMembers: 10_000,
  maxTransfers: 100_000,
  maxHistory: 10_000,
  liveMaxHistory: 2_000,
} as const;

function nonNegative(name: string, value: number | undefined, fallback: number, integer = false, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new LensError('INVALID_OPTION', `Invalid option ${name}: must be ${integer ? 'an integer' : 'a number'} >= ${min}, got ${JSON.stringify(value)}`, {
      help: `pass ${name} as a ${integer ? 'whole ' : ''}number, or leave it out for the default (${fallback})`,
    });
  }
  return value;
}

export function resolveOptions(opts: ModelOptions = {}): ResolvedOptions {
  const nodes = opts.nodes ?? [];
  const seen = new Set<string>();
  for (const n of nodes) {
    if (!n || typeof n.name !== 'string' || n.name === '') {
      throw new LensError('INVALID_OPTION', `Invalid option nodes: each node needs a non-empty name, got ${JSON.stringify(n)}`);
    }
    if (seen.has(n.name)) throw new LensError('INVALID_OPTION', `Invalid option nodes: node name ${JSON.stringify(n.name)} is given twice`);
    seen.add(n.name);
    if (n.address !== undefined && !/^.+:\d{1,5}$/.test(n.address)) {
      throw new LensError('INVALID_OPTION', `Invalid option nodes: address must be host:port, got ${JSON.stringify(n.address)}`, {
        help: 'give the address the node binds its Tribes receiver to, e.g. 10.0.0.5:4000',
      });
    }
  }
  const live = opts.live ?? false;
  const maxHistory = nonNegative('maxHistory', opts.maxHistory, live ? DEFAULTS.liveMaxHistory : DEFAULTS.maxHistory, true, 1);
  return {
    nodes,
    slowMs: nonNegative('slowMs', opts.slowMs, DEFAULTS.slowMs),
    flapCount: nonNegative('flapCount', opts.flapCount, DEFAULTS.flapCount, true, 1),
    flapWindowMs: nonNegative('flapWindowMs', opts.flapWindowMs, DEFAULTS.flapWindowMs),
    disagreeGraceMs: nonNegative('disagreeGraceMs', opts.disagreeGraceMs, DEFAULTS.disagreeGraceMs),
    maxMembers: nonNegative('maxMembers', opts.maxMembers, DEFAULTS.maxMembers, true, 1),
    maxTransfers: nonNegative('maxTransfers', opts.maxTransfers, live ? maxHistory : DEFAULTS.maxTransfers, true, 1),
    maxHistory,
    live,
    version: opts.version ?? '0.0.0',
  };
}
