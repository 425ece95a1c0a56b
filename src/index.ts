// The public library API: re-exports only. Importing it has no side effects.

export { readEvents, collectEvents, type Collected } from './pipeline/read-events.js';
export { createEventStream, type EventStream, type EventStreamOptions } from './pipeline/event-stream.js';
export { analyze, analyzeDetailed, type AnalyzeOptions, type AnalyzeResult } from './pipeline/analyze.js';
export type { ReadOptions } from './pipeline/options.js';
export { loadGrammars, loadGrammarsSync, type Grammars } from './io/grammar-files.js';
export { InputParser, type InputParserOptions } from './core/input-parser.js';
export { LineFramer, type LineFramerOptions, type FramerStats } from './core/line-framer.js';
export { mergeByTime } from './core/merge-events.js';
export { sanitizeForTerminal } from './core/sanitize.js';
export { LensError, formatLensError, type LensErrorCode } from './core/errors.js';
export { ClusterModel, type ModelOptions } from './core/model/cluster-model.js';
export type { ClusterEvent, ClusterEventType, InputStats, Level, Line, LogRecord, Member } from './core/types.js';
export type * from './core/snapshot.js';
export { follow, isFollowableLogFile, type Follower, type FollowEvent, type FollowOptions, type OpenReason } from './io/follower.js';
export { LiveSession, type LiveOptions } from './pipeline/live.js';
