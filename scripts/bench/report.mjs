// Numbers in, a Markdown table and JSON lines out; and the machine they were made on.
import { cpus, loadavg, totalmem } from 'node:os';
import { chromiumVersion } from './browser.mjs';

/** The q-quantile (0..1) of numbers, by nearest rank; NaN when there are none. */
export function quantile(values, q) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const median = (values) => quantile(values, 0.5);

/**
 * The rows of a reference page (no budget): its figure, each sample's `bare`, under
 * `metric`; and Parley's figure `key` minus it, run by run.
 */
export function referenceRows(samples, key, metric) {
  return [
    { metric, unit: 'ms', values: samples.map((s) => s.bare) },
    {
      metric: 'Parley minus the bare page, run by run',
      unit: 'ms',
      values: samples.map((s) => s[key] - s.bare),
    },
  ];
}

const UNITS = {
  ms: (v) => `${v.toFixed(v < 100 ? 1 : 0)} ms`,
  KB: (v) => `${v.toFixed(1)} KB`,
  MB: (v) => `${v.toFixed(1)} MB`,
  '%': (v) => `${v.toFixed(1)} %`,
  count: (v) => `${Math.round(v).toLocaleString('en-US')}`,
};

const format = (unit, v) => (Number.isFinite(v) ? UNITS[unit](v) : '–');

/**
 * One row of the table: a metric's values over the runs and its budget (an upper bound).
 * @param {{ scenario: string, metric: string, unit: keyof UNITS, values: number[], max?: number }} row
 */
export function summarize({ scenario, metric, unit, values, max }) {
  const med = median(values);
  const lo = Math.min(...values.filter(Number.isFinite));
  const hi = Math.max(...values.filter(Number.isFinite));
  const met = max === undefined ? undefined : Number.isFinite(med) && med <= max;
  return { scenario, metric, unit, median: med, min: lo, max: hi, budget: max, met, values };
}

/** A Markdown table (also readable as plain text) of summarised rows. */
export function table(rows) {
  const lines = [
    ['scenario', 'metric', 'median', 'min', 'max', 'budget', 'met'],
    ...rows.map((r) => [
      r.scenario,
      r.metric,
      format(r.unit, r.median),
      format(r.unit, r.min),
      format(r.unit, r.max),
      r.budget === undefined ? '' : `≤ ${format(r.unit, r.budget)}`,
      r.met === undefined ? '' : r.met ? 'yes' : '**no**',
    ]),
  ];
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  const right = [false, false, true, true, true, true, false];
  const cell = (text, i) => (right[i] ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const out = lines.map((l) => `| ${l.map(cell).join(' | ')} |`);
  out.splice(
    1,
    0,
    `| ${widths.map((w, i) => (right[i] ? '-'.repeat(w - 1) + ':' : '-'.repeat(w))).join(' | ')} |`,
  );
  return out.join('\n');
}

/** The machine, for the record: a 2-core box shared with other work measures differently. */
export function machine() {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    chromium: chromiumVersion(),
    node: process.version,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function describeMachine(m) {
  return (
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB; ${m.chromium}; Node ${m.node}; ` +
    `load average ${m.loadAverage.join(' / ')} (1/5/15 min) at the start` +
    (m.network && m.network !== 'local' ? `; network: ${m.network}` : '')
  );
}
