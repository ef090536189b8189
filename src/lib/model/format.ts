import type { Timing } from './types';

/** "850 ms", "1.2 s", "1 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const min = Math.floor(ms / 60_000);
  return `${min} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Completion tokens per second, measured from the first token to the end. */
export function tokensPerSecond(completion: number, timing: Timing): number | undefined {
  if (timing.firstTokenAt === undefined || timing.endedAt === undefined) return undefined;
  const seconds = (timing.endedAt - timing.firstTokenAt) / 1000;
  if (seconds <= 0 || completion <= 0) return undefined;
  return Math.round((completion / seconds) * 10) / 10;
}
