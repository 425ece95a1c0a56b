// Input nodes: one per input log (names come from the caller). What each node is, where it listens,
// and how much it has logged so far (used to tell "nothing logged" from "busy" around a transfer).

import type { NodeInfo } from '../snapshot.js';
import type { ClusterEvent } from '../types.js';
import { parseAddress } from './addresses.js';
import { RunTracker } from './runs.js';

export interface NodeState {
  name: string;
  files: string[];
  /** Address from its own receiver-bound, else the option, else inferred at snapshot time. */
  address?: string;
  addressSource?: 'receiver-bound' | 'option';
  /** Address given with --node. */
  optionAddress?: string;
  /** Every distinct address it bound, in order. */
  boundAddresses: string[];
  runs: RunTracker;
  eventCount: number;
  lastEventMs?: number;
  lastEvent?: string;
  /** The node's last event: where a finding points when it has nothing closer. */
  lastEvidenceEvent?: ClusterEvent;
  /** Given in the options (an input), or only met as `event.node`. */
  declared: boolean;
}

export function newNode(name: string, declared: boolean, optionAddress?: string, maxRuns?: number): NodeState {
  const parsed = optionAddress ? parseAddress(optionAddress) : undefined;
  const address = parsed ? `${parsed.host}:${parsed.port}` : undefined;
  return {
    name,
    files: [],
    address,
    addressSource: address ? 'option' : undefined,
    optionAddress: address,
    boundAddresses: [],
    runs: new RunTracker(maxRuns),
    eventCount: 0,
    declared,
  };
}

export function nodeInfo(n: NodeState, inferred?: string): NodeInfo {
  const address = n.address ?? inferred;
  const parsed = address ? parseAddress(address) : undefined;
  return {
    name: n.name,
    files: [...n.files],
    address,
    host: parsed?.host,
    port: parsed?.port,
    addressSource: n.address ? n.addressSource : inferred ? 'inferred' : undefined,
    runs: n.runs.toSnapshot(),
  };
}
