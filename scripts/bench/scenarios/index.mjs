// The scenarios of issue 15, in the order they run. A scenario is
// { id, title, run(i) → sample, rows(samples) → table rows, details(samples) → JSON,
//   deterministic? (run once whatever --runs says) }.
// Every browser run gets a fresh copy of a prepared profile and a fresh Chromium.
import { summarize } from '../report.mjs';
import { preparedProfiles } from '../session.mjs';
import { bytes, bytesNetwork } from './bytes.mjs';
import { coldLoad, openLong } from './load.mjs';
import { comparePanes, steadyStream, stream } from './stream.mjs';
import { typing } from './typing.mjs';

/**
 * @param {{ site?: object, api?: object, assets?: Map<string, object>, bundle?: object }} ctx
 */
export function scenarios(ctx) {
  ctx.profiles ??= preparedProfiles(ctx);
  return [
    bytes(ctx),
    bytesNetwork(ctx),
    coldLoad(ctx),
    openLong(ctx, 500),
    typing(ctx, 500),
    openLong(ctx, 2000),
    typing(ctx, 2000),
    stream(ctx, 2000),
    stream(ctx, 10000),
    steadyStream(ctx),
    comparePanes(ctx),
  ];
}

/** A scenario's runs as table rows and one JSON-ready record. */
export function result(scenario, samples) {
  const rows = scenario.rows(samples).map((r) => summarize({ scenario: scenario.id, ...r }));
  return {
    rows,
    json: {
      scenario: scenario.id,
      title: scenario.title,
      runs: samples.length,
      metrics: rows.map(({ metric, unit, median, min, max, budget, met, values }) => ({
        metric,
        unit,
        median,
        min,
        max,
        budget: budget ?? null,
        met: met ?? null,
        values,
      })),
      details: scenario.details(samples),
    },
  };
}
