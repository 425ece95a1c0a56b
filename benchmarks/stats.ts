// Medians and quartiles of the paired benchmark scripts (paired.ts, kernel-paired.ts).

export function quantile(sorted: number[], q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (i - lo);
}

/** `median M (quartiles Q1-Q3)` of `values`. */
export function summary(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  return `median ${quantile(s, 0.5).toFixed(3)} (quartiles ${quantile(s, 0.25).toFixed(3)}-${quantile(s, 0.75).toFixed(3)})`;
}
