// `analyze --json`: the model snapshot as one JSON object (schema/analyze.schema.json).

import type { ClusterSnapshot } from '../core/snapshot.js';

export function renderJson(snapshot: ClusterSnapshot): string {
  return JSON.stringify(snapshot, null, 2) + '\n';
}
