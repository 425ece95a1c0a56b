// The buffer between the follower's reader and a `for await` consumer: unbounded for control
// events, byte-bounded for data so a slow consumer pauses reading instead of growing memory.

/** What the follower needs from wherever its events go. */
export interface FollowSink<T> {
  /** Delivers (or buffers) one event. Never blocks. */
  push(item: T): void;
  /** True while the reader should stop reading data (the consumer is behind). */
  readonly full: boolean;
  /** No more events will be pushed. */
  end(): void;
}

/**
 * A single-consumer async queue. `full` turns true once more than `highWaterBytes` of data are
 * buffered; `onDrain` is called when the consumer has taken the buffer below half of that.
 */
export class FollowQueue<T> implements FollowSink<T>, AsyncIterator<T> {
  readonly #items: T[] = [];
  #head = 0;
  #bytes = 0;
  #ended = false;
  #waiter: ((result: IteratorResult<T>) => void) | null = null;
  #wasFull = false;

  constructor(
    private readonly highWaterBytes: number,
    private readonly sizeOf: (item: T) => number,
    private readonly onDrain: () => void,
  ) {}

  get full(): boolean {
    return this.#bytes > this.highWaterBytes;
  }

  /** Events buffered and not yet taken. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    if (this.#ended) return;
    if (this.#waiter) {
      const waiter = this.#waiter;
      this.#waiter = null;
      waiter({ value: item, done: false });
      return;
    }
    this.#items.push(item);
    this.#bytes += this.sizeOf(item);
    if (this.full) this.#wasFull = true;
  }

  end(): void {
    this.#ended = true;
    if (this.#waiter && this.length === 0) {
      const waiter = this.#waiter;
      this.#waiter = null;
      waiter({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.length > 0) {
      const value = this.#items[this.#head] as T;
      this.#items[this.#head] = undefined as T;
      this.#head++;
      if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
        this.#items.splice(0, this.#head);
        this.#head = 0;
      }
      this.#bytes -= this.sizeOf(value);
      if (this.#wasFull && this.#bytes <= this.highWaterBytes / 2) {
        this.#wasFull = false;
        this.onDrain();
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    if (this.#waiter) return Promise.reject(new Error('FollowQueue: next() called again before the previous call settled'));
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }
}
