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
  /** Bound on stored transfers. Default 100 000. */
  maxTransfers?: number;
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
  return {
    nodes,
    slowMs: nonNegative('slowMs', opts.slowMs, DEFAULTS.slowMs),
    flapCount: nonNegative('flapCount', opts.flapCount, DEFAULTS.flapCount, true, 1),
    flapWindowMs: nonNegative('flapWindowMs', opts.flapWindowMs, DEFAULTS.flapWindowMs),
    disagreeGraceMs: nonNegative('disagreeGraceMs', opts.disagreeGraceMs, DEFAULTS.disagreeGraceMs),
    maxMembers: nonNegative('maxMembers', opts.maxMembers, DEFAULTS.maxMembers, true, 1),
    maxTransfers: nonNegative('maxTransfers', opts.maxTransfers, DEFAULTS.maxTransfers, true, 1),
    live: opts.live ?? false,
    version: opts.version ?? '0.0.0',
  };
}
