// The live follower behind `tail`: follows files and directories through rotation, copytruncate,
// deletion and new files, and hands out every byte of every file exactly once, in order per file.
// Line framing and parsing happen downstream; this module only moves bytes.
//
// How it works
// - One chokidar watcher for everything. It watches directories, never single files (chokidar #601):
//   a file argument watches its parent directory with everything but that name ignored.
// - chokidar events only say "look at this path". The truth comes from our own stat/fstat:
//   chokidar 5's `atomic` folds unlink+add into 'change', and its change events are throttled
//   without a trailing event, so after each burst of events a path is looked at once more.
// - One open fd per followed inode. A path points at an inode; the inode keeps the name it was
//   first followed under (its "owner"), so a rotated file that shows up again under a new name
//   inside a watched directory (catalina.out -> catalina.out.1) is recognised, not read twice.
// - A single worker does all reading, so events of one file are produced strictly in order.
// - No polling unless `poll` is set: the only timers are one-shot (a re-look 120 ms after a burst of
//   events on a path, the end of a rotated file's grace period), unref'd and cleared by close().

import { watch, type FSWatcher } from 'chokidar';
import type { Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { LensError } from '../core/errors.js';
import { FollowQueue, type FollowSink } from './follow-queue.js';
import { isLogFileName } from './log-files.js';

export interface FollowOptions {
  /**
   * Read the content that files already hold when following starts (default false: start at the
   * current end of each existing file). Files that appear later are always read from their start.
   */
  fromStart?: boolean;
  /**
   * Without `fromStart`: start this many bytes before the end of each existing file, moved forward
   * to the next line start, so the consumer gets some context made of whole lines. Default 0.
   */
  initialTailBytes?: number;
  /**
   * Without `fromStart`: start at the beginning of the last this many lines of each existing file
   * (an unterminated last line counts as one), counted when the file is opened. Takes precedence
   * over `initialTailBytes` when > 0. Default 0.
   */
  initialTailLines?: number;
  /** Use chokidar's `usePolling` (stat polling) instead of inotify/FSEvents: for NFS/SMB mounts. */
  poll?: boolean;
  /** Polling interval with `poll`, in ms. Default 1000. */
  pollIntervalMs?: number;
  /** Bytes per read, and so the largest `data` chunk. Default 1 MiB. */
  chunkSize?: number;
  /**
   * Which files inside a watched directory are followed, given the absolute path. Default:
   * {@link isFollowableLogFile} (catalina log names, without numbered or `.gz` rotations).
   * Not applied to files named explicitly in `paths`.
   */
  filter?: (path: string) => boolean;
  /**
   * How many levels of subdirectories of a directory argument are followed: 0 is the directory's
   * own files only, 1 (the default) also `logs/node1/catalina.out`.
   */
  depth?: number;
  /**
   * After a file was rotated away or deleted, its fd stays open this long (ms) so bytes the old
   * writer still appends are delivered under the old generation. Default 5000.
   */
  rotationGraceMs?: number;
  /**
   * Async-iterator mode only: once this many data bytes are waiting for the consumer, reading
   * pauses until half of them were taken. Default: the larger of 8 MiB and 4 chunks.
   */
  maxBufferedBytes?: number;
}

/** Why a file (a new generation of it) was opened. */
export type OpenReason = 'initial' | 'created' | 'rotated' | 'recreated';

/**
 * What the follower reports. `file` is always the absolute path the bytes are reported under.
 *
 * A **generation** is one byte stream whose offsets start at 0: the first file seen at a path
 * is generation 1, and the number goes up each time the path starts over (a rotation, a
 * re-creation, a copytruncate). Frame lines per `(file, generation)`: within one generation the
 * `data` events are contiguous (`offset` equals the previous event's `offset + data.length`).
 */
export type FollowEvent =
  /** Bytes `[offset, offset + data.length)` of this generation. `data` is owned by the consumer. */
  | { kind: 'data'; file: string; generation: number; offset: number; data: Buffer }
  /**
   * A new generation starts. `initial`: the file existed when following started (reading starts at
   * its end, or at 0 with `fromStart`); `created`: a file first seen later, read from 0;
   * `rotated`: the path was renamed away and this is its replacement; `recreated`: the path was
   * deleted and this is its replacement. All but `initial` read from 0.
   */
  | { kind: 'opened'; file: string; generation: number; reason: OpenReason }
  /**
   * copytruncate: the file became shorter than what was read. Carries the NEW generation, which
   * starts at offset 0 in the same file; the previous generation has ended.
   */
  | { kind: 'truncated'; file: string; generation: number }
  /**
   * The path now points to a new file; carries the OLD generation, whose bytes have been
   * delivered up to this point. An `opened` with reason `rotated` follows.
   */
  | { kind: 'rotated'; file: string; generation: number }
  /**
   * The file was deleted; carries the generation that ended. After `rotated` and `removed`, bytes
   * the old writer still appends within `rotationGraceMs` arrive as `data` of the ended generation.
   */
  | { kind: 'removed'; file: string; generation: number }
  /** A file could not be read, or the watcher failed. Following goes on. */
  | { kind: 'error'; file: string; error: Error };

export interface Follower extends AsyncIterable<FollowEvent> {
  /**
   * Resolves once the watcher's initial scan is done and every file that existed then is open
   * (its `opened` event emitted, its start offset fixed). Bytes appended after `ready` are
   * guaranteed to be delivered; files created before `ready` may be taken for existing ones.
   * With `fromStart`, their old content may still be being read when `ready` resolves.
   */
  readonly ready: Promise<void>;
  /**
   * Stops watching: awaits `watcher.close()` and the read in progress, closes every fd, clears
   * every timer and ends the iteration (events already buffered are still handed out). Idempotent.
   */
  close(): Promise<void>;
}

/** Called for each event in callback mode; a thrown error closes the follower and is rethrown. */
export type FollowListener = (event: FollowEvent) => void;

const DEFAULT_CHUNK = 1024 * 1024;
const DEFAULT_POLL_MS = 1000;
const DEFAULT_GRACE_MS = 5000;
const DEFAULT_DEPTH = 1;
/** After chokidar's 50 ms change throttle, which drops events without a trailing one. */
const SETTLE_MS = 120;

/**
 * Default `filter`: {@link isLogFileName}, except numbered and compressed rotations
 * (`catalina.out.1`, `catalina.2013-11-05.log.2`, `*.gz`). Those are never the file a writer
 * appends to; following them would read a copytruncate copy a second time, or gzip bytes.
 */
export function isFollowableLogFile(path: string): boolean {
  return isLogFileName(path) && !/\.(?:\d+|gz)$/i.test(path);
}

/**
 * Follows `paths` (files and directories).
 *
 * - A file argument is followed under that name only: its parent directory is watched, so the
 *   file may be missing at first, rotated, deleted and re-created.
 * - A directory argument follows every file in it and in its subdirectories down to `depth`
 *   for which `filter` is true, including files that appear later (a new node's log, the next
 *   daily file). A path that does not exist at start is taken for a file that may appear; if
 *   its directory does not exist either, an `error` event (`INPUT_NOT_FOUND`) says so.
 *
 * Events go to `onEvent` when given (callback mode, no buffering); otherwise iterate the
 * returned follower with `for await` (one consumer; breaking out of the loop closes it).
 *
 * Rotation cases (per followed path, always decided by stat, never by the event name):
 * - appended: bytes `[offset, size)` are read in `chunkSize` reads, re-checking the size after
 *   every read until caught up.
 * - renamed away (`mv catalina.out catalina.out.1`): the old fd is drained; when a new file
 *   appears at the path: `rotated` (old generation), `opened` reason `rotated`, the new file
 *   from 0. The old fd stays open `rotationGraceMs`, and is read again before `rotated` is
 *   emitted and when the grace ends, so the writer's last bytes arrive under the old
 *   generation (a write after the new file was opened comes after the new file's events).
 *   If the renamed file is itself followed (a directory argument), its bytes keep being
 *   reported under the original name and generation: nothing is read twice.
 * - copytruncate (size < offset): `truncated` with a new generation, reading from 0. A file
 *   truncated and then re-filled past the old offset before it is looked at cannot be told from
 *   an append (inherent to copytruncate).
 * - deleted: the remaining bytes are drained, then `removed`; a file re-created there is
 *   `opened` reason `recreated` and read from 0.
 */
export function follow(paths: string[], opts?: FollowOptions): Follower;
export function follow(paths: string[], opts: FollowOptions | undefined, onEvent: FollowListener): Follower;
export function follow(paths: string[], opts: FollowOptions = {}, onEvent?: FollowListener): Follower {
  return new FollowerImpl(paths, normalizeOptions(paths, opts), onEvent);
}

interface Settings {
  fromStart: boolean;
  initialTailBytes: number;
  initialTailLines: number;
  poll: boolean;
  pollIntervalMs: number;
  chunkSize: number;
  filter: (path: string) => boolean;
  depth: number;
  rotationGraceMs: number;
  maxBufferedBytes: number;
}

function normalizeOptions(paths: string[], opts: FollowOptions): Settings {
  if (!Array.isArray(paths) || paths.length === 0 || paths.some((p) => typeof p !== 'string' || p === '')) {
    throw invalid('paths', 'a non-empty array of non-empty strings', paths);
  }
  const int = (name: keyof FollowOptions, value: unknown, min: number, fallback: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throw invalid(name, `an integer >= ${min}`, value);
    }
    return value;
  };
  const bool = (name: keyof FollowOptions, value: unknown): boolean => {
    if (value === undefined) return false;
    if (typeof value !== 'boolean') throw invalid(name, 'a boolean', value);
    return value;
  };
  if (opts.filter !== undefined && typeof opts.filter !== 'function') throw invalid('filter', 'a function', opts.filter);
  const chunkSize = int('chunkSize', opts.chunkSize, 1, DEFAULT_CHUNK);
  return {
    fromStart: bool('fromStart', opts.fromStart),
    initialTailBytes: int('initialTailBytes', opts.initialTailBytes, 0, 0),
    initialTailLines: int('initialTailLines', opts.initialTailLines, 0, 0),
    poll: bool('poll', opts.poll),
    pollIntervalMs: int('pollIntervalMs', opts.pollIntervalMs, 1, DEFAULT_POLL_MS),
    chunkSize,
    filter: opts.filter ?? isFollowableLogFile,
    depth: int('depth', opts.depth, 0, DEFAULT_DEPTH),
    rotationGraceMs: int('rotationGraceMs', opts.rotationGraceMs, 0, DEFAULT_GRACE_MS),
    maxBufferedBytes: int('maxBufferedBytes', opts.maxBufferedBytes, 1, Math.max(8 * 1024 * 1024, 4 * chunkSize)),
  };
}

function invalid(name: string, rule: string, got: unknown): LensError {
  let shown: string;
  try {
    shown = typeof got === 'function' ? 'a function' : (JSON.stringify(got) ?? String(got));
  } catch {
    shown = String(got);
  }
  return new LensError('INVALID_OPTION', `Invalid option ${name}: must be ${rule}, got ${shown}`, {
    help: `fix the ${name} passed to follow()`,
  });
}

/** One inode we hold open. Its bytes are reported under `owner`. */
interface Tracked {
  readonly key: string;
  readonly owner: string;
  generation: number;
  readonly fd: FileHandle;
  offset: number;
  /** Paths currently pointing at this inode. */
  refs: number;
  /** Set while the rotation grace runs. */
  graceTimer: NodeJS.Timeout | null;
  closed: boolean;
}

/** What we know about one followed path. Kept after the path goes away, for its generation count. */
interface PathState {
  /** The inode the path points at (possibly owned by another path). */
  current: Tracked | null;
  /** Highest generation number issued under this path. */
  lastGeneration: number;
  /**
   * Renamed away; its replacement has not been seen yet (then `rotated` is emitted). May be
   * closed already (grace over): it then only carries the generation that ended.
   */
  movedAway: Tracked | null;
  /** Deleted; its replacement will be `recreated`. */
  removed: boolean;
}

const inodeKey = (s: Stats): string => `${s.dev}:${s.ino}`;

function isInsideOrAt(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The offset at which the last `lines` lines of the file's first `size` bytes start. */
async function lastLinesOffset(fd: FileHandle, size: number, lines: number): Promise<number> {
  const block = Buffer.allocUnsafe(64 * 1024);
  let pos = size;
  let seen = 0;
  while (pos > 0) {
    const len = Math.min(block.length, pos);
    pos -= len;
    const { bytesRead } = await fd.read(block, 0, len, pos);
    for (let i = Math.min(len, bytesRead) - 1; i >= 0; i--) {
      // The file's final newline ends the last line rather than starting a new one.
      if (block[i] !== 10 || pos + i === size - 1) continue;
      if (++seen === lines) return pos + i + 1;
    }
  }
  return 0;
}

function errorOf(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

function isGone(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

class FollowerImpl implements Follower {
  readonly ready: Promise<void>;
  readonly #settings: Settings;
  readonly #sink: FollowSink<FollowEvent>;
  readonly #queue: FollowQueue<FollowEvent> | null;
  #iterating = false;

  #watcher: FSWatcher | null = null;
  #watcherReady = false;
  #closed = false;
  #closing: Promise<void> | null = null;
  readonly #started: Promise<void>;
  #resolveReady!: () => void;

  /** Absolute file arguments, and absolute directory arguments. */
  readonly #files = new Set<string>();
  readonly #dirs: string[] = [];

  readonly #paths = new Map<string, PathState>();
  readonly #inodes = new Map<string, Tracked>();

  // Work for the single worker, in this order of priority.
  readonly #dirty = new Map<string, boolean>(); // path -> seen before the initial scan ended
  readonly #tasks: Array<() => Promise<void>> = [];
  readonly #pendingDrain = new Set<Tracked>();
  /** Streams whose reading paused because the consumer is behind, and paths waiting on them. */
  readonly #starved = new Set<Tracked>();
  readonly #deferred = new Set<string>();
  #initialLeft = 0;
  #working = false;
  #work: Promise<void> = Promise.resolve();
  readonly #settleTimers = new Map<string, NodeJS.Timeout>();

  constructor(paths: string[], settings: Settings, onEvent?: FollowListener) {
    this.#settings = settings;
    if (onEvent) {
      this.#queue = null;
      this.#sink = {
        full: false,
        push: (event) => {
          if (this.#closed) return;
          try {
            onEvent(event);
          } catch (err) {
            void this.close();
            queueMicrotask(() => {
              throw err;
            });
          }
        },
        end: () => {},
      };
    } else {
      this.#queue = new FollowQueue<FollowEvent>(
        settings.maxBufferedBytes,
        (e) => (e.kind === 'data' ? e.data.length : 0),
        () => this.#resume(),
      );
      this.#sink = this.#queue;
    }
    this.ready = new Promise<void>((res) => {
      this.#resolveReady = res;
    });
    this.#started = this.#start(paths.map((p) => resolve(p))).catch((err: unknown) => {
      this.#emit({ kind: 'error', file: '', error: errorOf(err) });
      this.#resolveReady();
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<FollowEvent> {
    const queue = this.#queue;
    if (!queue) {
      throw new LensError('INVALID_OPTION', 'This follower delivers its events to the onEvent callback; it cannot also be iterated', {
        help: 'call follow(paths, opts) without a callback to iterate it',
      });
    }
    if (this.#iterating) throw new LensError('INVALID_OPTION', 'A follower can be iterated only once');
    this.#iterating = true;
    return {
      next: () => queue.next(),
      return: async () => {
        await this.close();
        return { value: undefined, done: true };
      },
    };
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#closed = true;
    for (const t of this.#settleTimers.values()) clearTimeout(t);
    this.#settleTimers.clear();
    await this.#started;
    try {
      await this.#watcher?.close();
    } catch {
      // closing is best effort
    }
    await this.#work;
    const all = new Set<Tracked>(this.#inodes.values());
    for (const state of this.#paths.values()) if (state.movedAway) all.add(state.movedAway);
    for (const t of all) {
      if (t.graceTimer) clearTimeout(t.graceTimer);
      t.graceTimer = null;
      await this.#closeFd(t);
    }
    this.#inodes.clear();
    this.#resolveReady();
    this.#sink.end();
  }

  // ---- setup ---------------------------------------------------------------------------------

  async #start(paths: string[]): Promise<void> {
    for (const p of paths) {
      let isDir = false;
      try {
        isDir = (await stat(p)).isDirectory();
      } catch {
        // missing: a file that may appear later
      }
      if (isDir) this.#dirs.push(p);
      else this.#files.add(p);
    }
    if (this.#closed) return;
    const roots = new Set<string>(this.#dirs);
    for (const f of this.#files) roots.add(dirname(f));
    for (const root of roots) {
      try {
        await stat(root);
      } catch (err) {
        this.#emit({
          kind: 'error',
          file: root,
          error: new LensError('INPUT_NOT_FOUND', `Cannot watch ${root}: ${(err as NodeJS.ErrnoException).code ?? errorOf(err).message}`, {
            file: root,
            reason: 'the directory to watch does not exist or cannot be read',
            help: 'create the directory, or pass a path whose directory exists',
          }),
        });
      }
    }
    const { poll, pollIntervalMs, depth } = this.#settings;
    const watcher = watch([...roots], {
      persistent: true,
      ignoreInitial: false,
      usePolling: poll,
      interval: pollIntervalMs,
      binaryInterval: pollIntervalMs,
      depth,
      ignored: (path: string, stats?: Stats) => this.#ignored(path, stats, roots),
    });
    this.#watcher = watcher;
    const onPath = (path: string): void => this.#onPathEvent(path);
    watcher.on('add', onPath);
    watcher.on('change', onPath);
    watcher.on('unlink', onPath);
    watcher.on('error', (err: unknown) => {
      this.#emit({ kind: 'error', file: '', error: errorOf(err) });
    });
    watcher.on('ready', () => {
      this.#watcherReady = true;
      this.#checkReady();
    });
  }

  /** chokidar `ignored`: prune everything that is neither followed nor on the way to it. */
  #ignored(path: string, stats: Stats | undefined, roots: Set<string>): boolean {
    if (roots.has(path)) return false;
    const underDir = this.#dirs.some((d) => isInsideOrAt(path, d));
    if (stats?.isDirectory()) return !underDir;
    if (stats?.isFile()) return !this.#wanted(path);
    return !(underDir || this.#files.has(path));
  }

  #wanted(path: string): boolean {
    if (this.#files.has(path)) return true;
    for (const d of this.#dirs) {
      const rel = relative(d, path);
      if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue;
      if (rel.split(sep).length - 1 <= this.#settings.depth && this.#settings.filter(path)) return true;
    }
    return false;
  }

  // ---- scheduling ----------------------------------------------------------------------------

  #onPathEvent(path: string): void {
    if (this.#closed || !this.#wanted(path)) return;
    this.#markDirty(path, !this.#watcherReady);
    // chokidar drops change events that come within 50 ms of the previous one and never sends a
    // trailing one: look once more after the burst.
    const old = this.#settleTimers.get(path);
    if (old) clearTimeout(old);
    const timer = setTimeout(() => {
      this.#settleTimers.delete(path);
      this.#markDirty(path, false);
    }, SETTLE_MS);
    timer.unref();
    this.#settleTimers.set(path, timer);
  }

  #markDirty(path: string, initial: boolean): void {
    if (this.#closed) return;
    const previous = this.#dirty.get(path);
    if (initial && previous !== true) this.#initialLeft++;
    this.#dirty.set(path, previous === true || initial);
    this.#kick();
  }

  /** The consumer caught up: read what was paused. */
  #resume(): void {
    for (const t of this.#starved) this.#pendingDrain.add(t);
    this.#starved.clear();
    for (const p of this.#deferred) this.#markDirty(p, false);
    this.#deferred.clear();
    this.#kick();
  }

  #kick(): void {
    if (this.#working || this.#closed) return;
    this.#working = true;
    this.#work = this.#runWork();
  }

  async #runWork(): Promise<void> {
    for (;;) {
      if (this.#closed) break;
      const first = this.#dirty.entries().next();
      if (!first.done) {
        const [path, initial] = first.value;
        this.#dirty.delete(path);
        try {
          await this.#processPath(path, initial);
        } catch (err) {
          this.#emit({ kind: 'error', file: path, error: errorOf(err) });
        } finally {
          if (initial) this.#initialLeft--;
        }
        this.#checkReady();
        continue;
      }
      const task = this.#tasks.shift();
      if (task) {
        try {
          await task();
        } catch (err) {
          this.#emit({ kind: 'error', file: '', error: errorOf(err) });
        }
        continue;
      }
      const next = this.#pendingDrain.values().next();
      if (!next.done) {
        const t = next.value;
        this.#pendingDrain.delete(t);
        await this.#drain(t);
        continue;
      }
      break;
    }
    // No await between the last empty check and this: an event arriving now starts a new run.
    this.#working = false;
    this.#checkReady();
  }

  #checkReady(): void {
    if (this.#watcherReady && this.#initialLeft === 0) this.#resolveReady();
  }

  #emit(event: FollowEvent): void {
    if (!this.#closed || event.kind === 'error') this.#sink.push(event);
  }

  // ---- the state machine -----------------------------------------------------------------------

  #state(path: string): PathState {
    let state = this.#paths.get(path);
    if (!state) {
      state = { current: null, lastGeneration: 0, movedAway: null, removed: false };
      this.#paths.set(path, state);
    }
    return state;
  }

  async #processPath(path: string, initial: boolean): Promise<void> {
    const state = this.#state(path);
    const cur = state.current;
    // Whatever happened, first read what the inode we know still holds.
    if (cur && !(await this.#drain(cur))) {
      this.#deferred.add(path); // the consumer is behind; come back when it has caught up
      return;
    }
    let info: Stats | null = null;
    try {
      info = await stat(path);
    } catch (err) {
      if (!isGone(err)) throw err;
    }
    if (info && !info.isFile()) info = null;
    if (this.#closed) return;
    if (cur && info && inodeKey(info) === cur.key) return;
    if (cur) {
      state.current = null;
      await this.#detach(path, state, cur);
    }
    if (info) await this.#attach(path, state, info, initial);
  }

  /** `path` no longer points at `t`. */
  async #detach(path: string, state: PathState, t: Tracked): Promise<void> {
    t.refs--;
    if (t.owner !== path) {
      this.#release(t);
      return;
    }
    let linked = false;
    try {
      linked = (await t.fd.stat()).nlink > 0;
    } catch {
      // treat as deleted
    }
    if (linked) {
      state.movedAway = t;
    } else {
      this.#emit({ kind: 'removed', file: path, generation: t.generation });
      state.removed = true;
    }
    this.#startGrace(t);
  }

  /** `path` now points at the inode described by `info`. */
  async #attach(path: string, state: PathState, info: Stats, initial: boolean): Promise<void> {
    const known = this.#inodes.get(inodeKey(info));
    if (known) {
      // Renamed within the followed set (catalina.out -> catalina.out.1), or moved back. Its bytes
      // stay reported under their owner, so this path starts no generation of its own.
      state.movedAway = null;
      known.refs++;
      state.current = known;
      await this.#drain(known);
      return;
    }
    let fd: FileHandle;
    try {
      fd = await open(path, 'r');
    } catch (err) {
      if (isGone(err)) return; // gone again; its unlink event follows
      throw err;
    }
    let opened: Stats;
    try {
      opened = await fd.stat();
    } catch (err) {
      await fd.close().catch(() => {});
      throw err;
    }
    if (this.#closed || inodeKey(opened) !== inodeKey(info)) {
      // Replaced between stat and open: look again.
      await fd.close().catch(() => {});
      if (!this.#closed) this.#markDirty(path, initial);
      return;
    }

    let reason: OpenReason;
    if (state.movedAway) {
      const old = state.movedAway;
      state.movedAway = null;
      await this.#drain(old, true);
      this.#emit({ kind: 'rotated', file: path, generation: old.generation });
      reason = 'rotated';
    } else if (state.removed) {
      reason = 'recreated';
    } else {
      reason = initial ? 'initial' : 'created';
    }
    state.removed = false;

    let offset = 0;
    if (reason === 'initial' && !this.#settings.fromStart) offset = await this.#initialOffset(fd, opened.size);
    const t: Tracked = {
      key: inodeKey(opened),
      owner: path,
      generation: ++state.lastGeneration,
      fd,
      offset,
      refs: 1,
      graceTimer: null,
      closed: false,
    };
    this.#inodes.set(t.key, t);
    state.current = t;
    this.#emit({ kind: 'opened', file: path, generation: t.generation, reason });
    await this.#drain(t);
  }

  /** Where an existing file is first read from without `fromStart`: its end, or a line start before it. */
  async #initialOffset(fd: FileHandle, size: number): Promise<number> {
    if (this.#settings.initialTailLines > 0) return lastLinesOffset(fd, size, this.#settings.initialTailLines);
    const want = Math.min(this.#settings.initialTailBytes, size);
    if (want === 0) return size;
    const from = size - want;
    if (from === 0) return 0;
    // Include the byte before `from`: if it is '\n', `from` is already a line start.
    const buf = Buffer.allocUnsafe(want + 1);
    const { bytesRead } = await fd.read(buf, 0, want + 1, from - 1);
    const nl = buf.subarray(0, bytesRead).indexOf(10);
    return nl < 0 ? size : from + nl;
  }

  /**
   * Reads `t` from its offset to its current end, re-checking the size after every read. Returns
   * false when it stopped early because the consumer is behind (it is then resumed later); with
   * `force` it does not stop for that.
   */
  async #drain(t: Tracked, force = false): Promise<boolean> {
    for (;;) {
      if (t.closed || this.#closed) return true;
      if (!force && this.#sink.full) {
        this.#starved.add(t);
        return false;
      }
      let size: number;
      try {
        size = (await t.fd.stat()).size;
      } catch (err) {
        this.#emit({ kind: 'error', file: t.owner, error: errorOf(err) });
        return true;
      }
      if (size < t.offset) {
        t.generation = ++this.#state(t.owner).lastGeneration;
        t.offset = 0;
        this.#emit({ kind: 'truncated', file: t.owner, generation: t.generation });
      }
      if (size === t.offset) {
        this.#starved.delete(t);
        return true;
      }
      const length = Math.min(this.#settings.chunkSize, size - t.offset);
      const buf = Buffer.allocUnsafe(length);
      let bytesRead: number;
      try {
        ({ bytesRead } = await t.fd.read(buf, 0, length, t.offset));
      } catch (err) {
        this.#emit({ kind: 'error', file: t.owner, error: errorOf(err) });
        return true;
      }
      if (bytesRead === 0 || t.closed || this.#closed) return true; // shrank meanwhile: the next look sees it
      const data = bytesRead === length ? buf : buf.subarray(0, bytesRead);
      this.#emit({ kind: 'data', file: t.owner, generation: t.generation, offset: t.offset, data });
      t.offset += bytesRead;
    }
  }

  /** Keep a rotated-away or deleted file open a while for the writer's last bytes. */
  #startGrace(t: Tracked): void {
    if (t.graceTimer) clearTimeout(t.graceTimer);
    const timer = setTimeout(() => {
      t.graceTimer = null;
      if (this.#closed) return;
      this.#tasks.push(async () => {
        if (!(await this.#drain(t))) {
          this.#startGrace(t); // consumer behind: do not drop bytes, wait another round
          return;
        }
        this.#release(t);
      });
      this.#kick();
    }, this.#settings.rotationGraceMs);
    timer.unref();
    t.graceTimer = timer;
  }

  /** Closes `t` once no path points at it and its grace is over. */
  #release(t: Tracked): void {
    if (t.refs > 0 || t.graceTimer || t.closed) return;
    this.#tasks.push(async () => {
      await this.#drain(t, true);
      // A path may have been renamed onto it meanwhile.
      if (t.refs === 0 && !t.graceTimer) await this.#closeFd(t);
    });
    this.#kick();
  }

  async #closeFd(t: Tracked): Promise<void> {
    if (t.closed) return;
    t.closed = true;
    if (this.#inodes.get(t.key) === t) this.#inodes.delete(t.key);
    this.#starved.delete(t);
    this.#pendingDrain.delete(t);
    try {
      await t.fd.close();
    } catch {
      // already closed
    }
  }
}
