// The live path behind `tail`: the follower's byte chunks go through one InputParser per file
// generation, events go to the caller as they happen and into the same ClusterModel the archive
// path uses.
//
// Timing: a record is complete only when the next one starts, so after `partialMs` without new
// bytes on a generation its parser is flushed: the pending record is emitted, and a held
// unterminated last line with it (so a record is not held forever). A JUL header still waiting
// for its message line stays held (see RecordAssembler.flush). A generation that was rotated away
// or deleted stays open while the follower's grace period may still deliver its writer's last
// bytes, then ends. A new parser first buffers lines to detect the format; on a log that never
// pauses that long, it is flushed after 2 x partialMs so its events do not wait for 100 lines.

import { InputParser } from '../core/input-parser.js';
import { ClusterModel, type ModelOptions } from '../core/model/cluster-model.js';
import type { ClusterSnapshot } from '../core/snapshot.js';
import type { ClusterEvent } from '../core/types.js';
import { follow, type FollowEvent, type Follower } from '../io/follower.js';
import { loadGrammarsSync } from '../io/grammar-files.js';
import { nodeNameFor } from '../io/inputs.js';
import { VERSION } from '../version.js';
import { validateReadOptions, type ReadOptions } from './options.js';

export interface LiveOptions extends Omit<ReadOptions, 'since' | 'until' | 'all' | 'stdin'>, Omit<ModelOptions, 'nodes' | 'live' | 'version'> {
  /** Read what the files hold first, then follow. */
  fromStart?: boolean;
  /** Without fromStart: begin this many bytes before each existing file's end (whole lines). */
  initialTailBytes?: number;
  /** Without fromStart: begin with the last this many lines of each existing file. */
  initialTailLines?: number;
  poll?: boolean;
  /** Emit an unterminated last line (and the record it ends) after this long without data. Default 1000. */
  partialMs?: number;
  /** How many recent events to keep for the views. */
  keepEvents?: number;
  /** How long a rotated-away or deleted file may still receive bytes (the follower's grace). Default 5000. */
  rotationGraceMs?: number;
}

interface Stream {
  parser: InputParser;
  timer?: NodeJS.Timeout;
  /** Set once the generation was rotated away or deleted: ends the stream after the grace. */
  endTimer?: NodeJS.Timeout;
  /** When data first came while the format was still undecided. */
  undecidedSince?: number;
}

const DEFAULT_PARTIAL_MS = 1000;
const DEFAULT_GRACE_MS = 5000;
const MAX_ERRORS = 100;

export class LiveSession {
  readonly model: ClusterModel;
  /** The most recent events, oldest first (bounded by keepEvents). */
  readonly recent: ClusterEvent[] = [];
  /** The most recent errors the follower reported (unreadable files); following goes on. */
  readonly errors: Error[] = [];
  /** Every error reported so far (`errors` keeps the last MAX_ERRORS of them). */
  errorCount = 0;
  lastUpdateMs = 0;
  private follower?: Follower;
  private consuming: Promise<void> = Promise.resolve();
  private gate?: Promise<unknown>;
  private failure?: unknown;
  private readonly streams = new Map<string, Stream>();
  private readonly listeners = new Set<() => void>();
  private readonly opts: LiveOptions;
  private readonly grammars;
  private cached?: ClusterSnapshot;
  private closed = false;
  private readonly closing: Promise<void>;
  private signalClosing!: () => void;

  constructor(
    private readonly paths: string[],
    options: LiveOptions,
    private readonly onEvent: (ev: ClusterEvent) => void = () => {},
  ) {
    this.closing = new Promise((resolve) => (this.signalClosing = resolve));
    this.opts = validateReadOptions(options);
    this.grammars = options.grammarSet ?? loadGrammarsSync(options.grammars ?? []);
    this.model = new ClusterModel({
      slowMs: options.slowMs,
      flapCount: options.flapCount,
      flapWindowMs: options.flapWindowMs,
      disagreeGraceMs: options.disagreeGraceMs,
      maxMembers: options.maxMembers,
      maxTransfers: options.maxTransfers,
      maxHistory: options.maxHistory,
      live: true,
      version: VERSION,
    });
  }

  /** Starts following; resolves once every existing file is open. */
  async start(): Promise<void> {
    const follower = follow(this.paths, {
      fromStart: this.opts.fromStart,
      initialTailBytes: this.opts.initialTailBytes,
      initialTailLines: this.opts.initialTailLines,
      poll: this.opts.poll,
      rotationGraceMs: this.opts.rotationGraceMs,
    });
    this.follower = follower;
    this.consuming = this.consume(follower);
    await follower.ready;
  }

  /**
   * Back-pressure: no further follower event is taken until `until` settles (the follower stops
   * reading once its buffer is full; the files are the buffer). Use it when the consumer of the
   * events is behind, e.g. `stdout.write()` returned false.
   */
  pauseUntil(until: Promise<unknown>): void {
    const settled = until.then(
      () => {},
      () => {},
    );
    const previous = this.gate;
    this.gate = previous ? Promise.all([previous, settled]) : settled;
  }

  /**
   * Stops following: closes the watcher and every file, then ends every generation's parser, so
   * records still pending are emitted. Rejects if handling an event threw (e.g. in `onEvent`).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.gate = undefined;
    this.signalClosing();
    await this.follower?.close();
    await this.consuming;
    for (const key of [...this.streams.keys()]) this.endStream(key);
    this.changed();
    if (this.failure !== undefined) throw this.failure;
  }

  /** The model's snapshot, recomputed only when something changed since the last call. */
  snapshot(): ClusterSnapshot {
    if (!this.cached) this.cached = this.model.snapshot();
    return this.cached;
  }

  /** Called (at most once per follower event) when something changed. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async consume(follower: Follower): Promise<void> {
    try {
      for await (const ev of follower) {
        this.onFollow(ev);
        while (this.gate && !this.closed) {
          const gate = this.gate;
          await Promise.race([gate, this.closing]);
          if (this.gate === gate) this.gate = undefined;
        }
      }
    } catch (err) {
      this.failure = err;
      this.addError(err instanceof Error ? err : new Error(String(err)));
      void follower.close();
      this.changed();
    }
  }

  private onFollow(ev: FollowEvent): void {
    const key = `${ev.file}\u0000${'generation' in ev ? ev.generation : 0}`;
    switch (ev.kind) {
      case 'opened':
        this.openStream(key, ev.file, ev.generation);
        break;
      case 'data': {
        const stream = this.streams.get(key) ?? this.openStream(key, ev.file, ev.generation);
        stream.parser.push(ev.data);
        // At a line end only: a partial line is not cut by it.
        if (ev.data[ev.data.length - 1] === 0x0a) this.decideWhenStale(stream);
        this.schedulePartialFlush(key, stream);
        if (stream.endTimer) this.scheduleEnd(key, stream); // the old writer is still writing
        this.publishStats(stream);
        break;
      }
      case 'truncated':
        // The previous generation ended where the file was cut; this event names the new one.
        for (const k of this.streams.keys()) if (k.startsWith(`${ev.file}\u0000`) && k !== key) this.endStream(k);
        this.openStream(key, ev.file, ev.generation);
        break;
      case 'rotated':
      case 'removed': {
        // Its last bytes may still come within the follower's grace period: keep the parser (and
        // its line numbers) until then; the idle flush emits its pending record meanwhile.
        const stream = this.streams.get(key);
        if (stream) this.scheduleEnd(key, stream);
        break;
      }
      case 'error':
        this.addError(ev.error);
        break;
    }
    this.changed();
  }

  private openStream(key: string, file: string, generation: number): Stream {
    const existing = this.streams.get(key);
    if (existing) return existing;
    const node = nodeNameFor(file, this.opts.nodes);
    const parser = new InputParser(
      {
        file: generation > 1 ? `${file}#${generation}` : file,
        node,
        formats: this.grammars.formats,
        events: this.grammars.events,
        tz: this.opts.tz,
        logFormat: this.opts.logFormat,
        dateOrder: this.opts.dateOrder,
        maxLineBytes: this.opts.maxLineBytes,
        encoding: this.opts.encoding,
      },
      (ev) => this.accept(ev),
    );
    const stream: Stream = { parser };
    this.streams.set(key, stream);
    return stream;
  }

  private endStream(key: string): void {
    const stream = this.streams.get(key);
    if (!stream) return;
    clearTimeout(stream.timer);
    clearTimeout(stream.endTimer);
    this.streams.delete(key);
    stream.parser.end();
    this.publishStats(stream);
  }

  private scheduleEnd(key: string, stream: Stream): void {
    clearTimeout(stream.endTimer);
    const ms = (this.opts.rotationGraceMs ?? DEFAULT_GRACE_MS) + (this.opts.partialMs ?? DEFAULT_PARTIAL_MS);
    stream.endTimer = setTimeout(() => {
      if (this.streams.get(key) !== stream) return;
      if (this.gate) return this.scheduleEnd(key, stream); // its last bytes may be waiting behind the gate
      this.endStream(key);
      this.changed();
    }, ms);
    stream.endTimer.unref();
  }

  /**
   * A new parser buffers lines until it is sure of the format (or the idle flush makes it decide).
   * On a log that never pauses for partialMs, do not wait for that: after 2 x partialMs, flush
   * (called only when the last chunk ended a line, so no line is cut).
   */
  private decideWhenStale(stream: Stream): void {
    if (stream.parser.format !== undefined) {
      stream.undecidedSince = undefined;
      return;
    }
    const now = Date.now();
    stream.undecidedSince ??= now;
    if (now - stream.undecidedSince >= 2 * (this.opts.partialMs ?? DEFAULT_PARTIAL_MS)) {
      stream.parser.flush();
      stream.undecidedSince = undefined;
    }
  }

  private schedulePartialFlush(key: string, stream: Stream): void {
    clearTimeout(stream.timer);
    const ms = this.opts.partialMs ?? DEFAULT_PARTIAL_MS;
    stream.timer = setTimeout(() => {
      if (this.streams.get(key) !== stream) return;
      // Paused for a slow consumer: the file is not idle, its next bytes are waiting behind the gate.
      if (this.gate) return this.schedulePartialFlush(key, stream);
      stream.parser.flush();
      this.publishStats(stream);
      this.changed();
    }, ms);
    stream.timer.unref();
  }

  private publishStats(stream: Stream): void {
    this.model.updateInput({ ...stream.parser.stats, format: stream.parser.format });
  }

  private addError(err: Error): void {
    this.errorCount++;
    this.errors.push(err);
    if (this.errors.length > MAX_ERRORS) this.errors.shift();
  }

  private accept(ev: ClusterEvent): void {
    this.model.apply(ev);
    this.recent.push(ev);
    const keep = this.opts.keepEvents ?? 2000;
    if (this.recent.length > keep * 1.5) this.recent.splice(0, this.recent.length - keep);
    this.onEvent(ev);
  }

  private changed(): void {
    this.cached = undefined;
    this.lastUpdateMs = Date.now();
    for (const l of this.listeners) l();
  }
}
