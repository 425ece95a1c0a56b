export { ClusterModel } from './cluster-model.js';
export type { ModelOptions } from './options.js';
export { percentile, latencyStats, summarizeLatency } from './latency.js';
export { normaliseHost, addressKey } from './addresses.js';
