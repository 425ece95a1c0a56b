// The live path behind `tail`: the follower's byte chunks go through one InputParser per file
// generation, events go to the caller as they happen and into the same ClusterModel the archive
// path uses.

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
  poll?: boolean;
  /** Emit an unterminated last line (and the record it ends) after this long without data. */
  partialMs?: number;
  /** How many recent events to keep for the views. */
  keepEvents?: number;
}

interface Stream {
  parser: InputParser;
  timer?: NodeJS.Timeout;
}

export class LiveSession {
  readonly model: ClusterModel;
  /** The most recent events, oldest first (bounded by keepEvents). */
  readonly recent: ClusterEvent[] = [];
  /** Errors the follower reported (unreadable files); following goes on. */
  readonly errors: Error[] = [];
  lastUpdateMs = 0;
  private follower?: Follower;
  private readonly streams = new Map<string, Stream>();
  private readonly listeners = new Set<() => void>();
  private readonly opts: LiveOptions;
  private readonly grammars;
  private cached?: ClusterSnapshot;

  constructor(
    private readonly paths: string[],
    options: LiveOptions,
    private readonly onEvent: (ev: ClusterEvent) => void = () => {},
  ) {
    this.opts = validateReadOptions(options);
    this.grammars = options.grammarSet ?? loadGrammarsSync(options.grammars ?? []);
    this.model = new ClusterModel({
      slowMs: options.slowMs,
      flapCount: options.flapCount,
      flapWindowMs: options.flapWindowMs,
      disagreeGraceMs: options.disagreeGraceMs,
      maxMembers: options.maxMembers,
      live: true,
      version: VERSION,
    });
  }

  /** Starts following; resolves once every existing file is open. */
  async start(): Promise<void> {
    this.follower = follow(
      this.paths,
      { fromStart: this.opts.fromStart, initialTailBytes: this.opts.initialTailBytes, poll: this.opts.poll },
      (ev) => this.onFollow(ev),
    );
    await this.follower.ready;
  }

  async close(): Promise<void> {
    await this.follower?.close();
    for (const key of [...this.streams.keys()]) this.endStream(key);
  }

  /** The model's snapshot, recomputed only when events arrived since the last call. */
  snapshot(): ClusterSnapshot {
    if (!this.cached) this.cached = this.model.snapshot();
    return this.cached;
  }

  /** Called (at most once per batch of follower events) when something changed. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
        this.schedulePartialFlush(key, stream);
        this.publishStats(stream);
        break;
      }
      case 'truncated':
        // The previous generation ended where the file was cut; this event names the new one.
        for (const k of this.streams.keys()) if (k.startsWith(`${ev.file}\u0000`) && k !== key) this.endStream(k);
        this.openStream(key, ev.file, ev.generation);
        break;
      case 'rotated':
      case 'removed':
        this.endStream(key);
        break;
      case 'error':
        this.errors.push(ev.error);
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
    stream.parser.end();
    this.publishStats(stream);
    this.streams.delete(key);
  }

  private schedulePartialFlush(key: string, stream: Stream): void {
    clearTimeout(stream.timer);
    const ms = this.opts.partialMs ?? 1000;
    stream.timer = setTimeout(() => {
      if (this.streams.get(key) !== stream) return;
      stream.parser.flush();
      this.publishStats(stream);
      this.changed();
    }, ms);
    stream.timer.unref();
  }

  private publishStats(stream: Stream): void {
    this.model.updateInput({ ...stream.parser.stats, format: stream.parser.format });
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
