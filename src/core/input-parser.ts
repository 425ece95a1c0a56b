// One input's whole parsing path, bytes in, events out: framing → records → events, with the
// accounting that says where every line went. No I/O: archives, stdin, live tails and the
// object-mode stream all feed it bytes.

import type { CompiledEventGrammar } from './event-grammar.js';
import { createEventRecogniser } from './event-recogniser.js';
import type { CompiledFormat } from './format-grammar.js';
import { createRecordAssembler } from './record-assembler.js';
import { LineFramer } from './line-framer.js';
import { isoWithOffset } from './iso-time.js';
import type { ClusterEvent, InputStats, LogRecord } from './types.js';

export interface InputParserOptions {
  file: string;
  node: string;
  formats: CompiledFormat[];
  events: CompiledEventGrammar[];
  /** IANA zone for the logs' zone-less timestamps; default the local zone. */
  tz?: string;
  /** Force a format grammar by name instead of detecting it. */
  logFormat?: string;
  dateOrder?: 'dmy' | 'mdy';
  /** Also emit records that are not cluster events, as type `record`. */
  all?: boolean;
  maxLineBytes?: number;
}

export class InputParser {
  readonly stats: InputStats;
  private readonly framer: LineFramer;
  private readonly assembler: ReturnType<typeof createRecordAssembler>;
  private readonly recognise: (rec: LogRecord, node: string) => ClusterEvent | undefined;
  private readonly isClusterLogger: (logger?: string) => boolean;

  constructor(
    private readonly opts: InputParserOptions,
    private readonly onEvent: (ev: ClusterEvent) => void,
  ) {
    this.stats = {
      file: opts.file,
      node: opts.node,
      bytes: 0,
      lines: 0,
      recordLines: 0,
      records: 0,
      unparsed: 0,
      invalidUtf8: 0,
      truncatedLines: 0,
      unrecognisedCluster: 0,
      events: {},
    };
    const recogniser = createEventRecogniser(opts.events);
    this.recognise = recogniser.recognise.bind(recogniser);
    this.isClusterLogger = recogniser.isClusterLogger.bind(recogniser);
    this.assembler = createRecordAssembler(
      { formats: opts.formats, file: opts.file, tz: opts.tz, logFormat: opts.logFormat, dateOrder: opts.dateOrder },
      { record: (r) => this.onRecord(r), unparsed: () => this.stats.unparsed++ },
    );
    this.framer = new LineFramer((line) => this.assembler.push(line), { maxLineBytes: opts.maxLineBytes });
  }

  get format(): string | undefined {
    return this.assembler.format;
  }

  push(chunk: Buffer): void {
    this.framer.push(chunk);
    this.syncFramerStats();
  }

  /** For live inputs after an idle period: emit a held partial line and the pending record. */
  flush(): void {
    this.framer.flushPartial();
    this.assembler.flush();
    this.syncFramerStats();
  }

  end(): void {
    this.framer.end();
    this.assembler.end();
    this.syncFramerStats();
    this.stats.format = this.assembler.format;
  }

  private syncFramerStats(): void {
    const f = this.framer.stats;
    this.stats.bytes = f.bytes;
    this.stats.lines = f.lines;
    this.stats.invalidUtf8 = f.invalidUtf8;
    this.stats.truncatedLines = f.truncatedLines;
  }

  private onRecord(rec: LogRecord): void {
    this.stats.records++;
    this.stats.recordLines += rec.lineCount;
    const ev = this.recognise(rec, this.opts.node);
    if (ev) {
      if (ev.type === 'cluster-other') this.stats.unrecognisedCluster++;
      this.count(ev.type);
      this.onEvent(ev);
    } else if (this.opts.all) {
      this.count('record');
      this.onEvent(recordEvent(rec, this.opts.node));
    }
  }

  private count(type: string): void {
    this.stats.events[type] = (this.stats.events[type] ?? 0) + 1;
  }
}

/** A non-cluster record in event shape, for `events --all`. */
function recordEvent(rec: LogRecord, node: string): ClusterEvent {
  const ev: ClusterEvent = { type: 'record', node, file: rec.file, line: rec.line, message: rec.message };
  if (rec.timeMs !== undefined) {
    ev.time = isoWithOffset(rec.timeMs, rec.tzOffsetMin ?? 0);
    ev.timeMs = rec.timeMs;
  }
  if (rec.level) ev.level = rec.level;
  if (rec.logger) ev.logger = rec.logger;
  if (rec.thread) ev.thread = rec.thread;
  return ev;
}
