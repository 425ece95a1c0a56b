// Snapshots built from real corpus lines (state-timeout and node-loss scenarios) for the report tests.

import { ClusterModel } from '../../src/core/model/cluster-model.js';
import type { ClusterSnapshot } from '../../src/core/snapshot.js';
import { merged, STATE_TIMEOUT_A, STATE_TIMEOUT_B, stateTimeoutEvents } from '../core/model/corpus-lines.js';

export function stateTimeoutSnapshot(): ClusterSnapshot {
  const A = STATE_TIMEOUT_A;
  const B = STATE_TIMEOUT_B;
  const m = new ClusterModel({ nodes: [{ name: 'tomcat1' }, { name: 'tomcat2' }], version: '0.1.0' });
  for (const e of merged(stateTimeoutEvents())) m.apply(e);
  m.updateInput({ file: A, node: 'tomcat1', bytes: 9907, lines: 59, recordLines: 59, records: 59, unparsed: 0, invalidUtf8: 0, truncatedLines: 0, unrecognisedCluster: 0, events: { 'member-added': 1 } });
  m.updateInput({ file: B, node: 'tomcat2', bytes: 9549, lines: 58, recordLines: 58, records: 58, unparsed: 0, invalidUtf8: 0, truncatedLines: 0, unrecognisedCluster: 0, events: { 'member-added': 1 } });
  return m.snapshot();
}
