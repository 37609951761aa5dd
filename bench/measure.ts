import { performance } from 'node:perf_hooks';

/** Median of `runs` timings of `fn`, in milliseconds, after `warmup` untimed runs. */
export function medianMs(fn: () => unknown, runs = 15, warmup = 3): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Operations per second of `fn` run `count` times. */
export function rate(count: number, fn: (i: number) => unknown): number {
  const start = performance.now();
  for (let i = 0; i < count; i++) fn(i);
  return count / ((performance.now() - start) / 1000);
}

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** Human summary line. */
  summary: string;
  target?: { description: string; met: boolean };
  details?: Record<string, unknown>;
}

export function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
