const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

export interface Histogram {
  /** One block character per bucket, height proportional to the bucket's count. */
  bars: string;
  min: number;
  max: number;
  /** Width of one bucket, ms. */
  bucketMs: number;
  counts: number[];
}

/** A one-line histogram of `values` in `buckets` equal-width buckets; undefined when there are none. */
export function histogram(values: readonly number[], buckets: number): Histogram | undefined {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0 || buckets < 1) return undefined;
  let min = Infinity;
  let max = -Infinity;
  for (const v of finite) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const n = Math.max(1, Math.min(buckets, max === min ? 1 : buckets));
  const bucketMs = max === min ? 1 : (max - min) / n;
  const counts = new Array<number>(n).fill(0);
  for (const v of finite) {
    const i = Math.min(n - 1, Math.floor((v - min) / bucketMs));
    counts[i]++;
  }
  const top = Math.max(...counts);
  const bars = counts
    .map((c) => (c === 0 ? ' ' : BLOCKS[Math.min(BLOCKS.length - 1, Math.ceil((c / top) * BLOCKS.length) - 1)]))
    .join('');
  return { bars, min, max, bucketMs, counts };
}
