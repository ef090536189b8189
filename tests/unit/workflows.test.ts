// The GitHub workflows, read as data: Pages publishes only what passed the same tests
// as CI, on the Node the project targets, with the official actions.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  container?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  permissions?: Record<string, string>;
  concurrency?: { group: string };
  jobs: Record<string, Job>;
}

const read = (name: string): Workflow =>
  parse(readFileSync(new URL(`../../.github/workflows/${name}`, import.meta.url), 'utf8'));

describe('pages.yml', () => {
  const pages = read('pages.yml');
  const ci = read('ci.yml');
  const steps = Object.values(pages.jobs).flatMap((job) => job.steps);
  const at = (pred: (s: Step) => boolean) => steps.findIndex(pred);

  it('runs the tests as CI does, then builds, then uploads', () => {
    const tests = at((s) => s.run === 'bash .ci/run');
    const build = at((s) => s.run === 'npm run build');
    const upload = at((s) => s.uses?.startsWith('actions/upload-pages-artifact@') ?? false);
    expect(tests).toBeGreaterThanOrEqual(0);
    expect(ci.jobs.test?.steps.some((s) => s.run === 'bash .ci/run')).toBe(true);
    expect(build).toBeGreaterThan(tests);
    expect(upload).toBeGreaterThan(build);
    expect(steps[upload]?.with?.path).toBe('dist');
  });

  it('deploys with the official actions, after the build, with the rights Pages needs', () => {
    const deploy = Object.values(pages.jobs).find((job) =>
      job.steps.some((s) => s.uses?.startsWith('actions/deploy-pages@')),
    );
    expect(deploy?.needs).toBeTruthy();
    expect(deploy?.permissions).toEqual({ pages: 'write', 'id-token': 'write' });
    expect(at((s) => s.uses?.startsWith('actions/configure-pages@') ?? false)).toBeGreaterThan(-1);
    expect(pages.concurrency?.group).toBe('pages');
  });

  it('uses Node 22 on Debian, like CI', () => {
    for (const workflow of [pages, ci]) {
      for (const job of Object.values(workflow.jobs)) {
        if (job.container) expect(job.container).toBe('node:22-bookworm');
      }
    }
    expect(pages.jobs.build?.container).toBe('node:22-bookworm');
  });
});
