// The component-test plugin that lets a test file wait for the lazy loads it
// set off: every dynamic import in the app's source is wrapped, nothing else.
import { describe, expect, it } from 'vitest';
import { trackLazyImports } from '../../build/track-lazy-imports';

const transform = (code: string, id: string) =>
  (trackLazyImports().transform as (code: string, id: string) => { code: string } | undefined)(
    code,
    id,
  )?.code;

describe('track-lazy-imports', () => {
  it('wraps each dynamic import in the app source, the argument untouched', () => {
    const code = "const a = () => import('./a');\nconst b = import(`./${name}.ts`).then((m) => m);";
    expect(transform(code, '/repo/src/lib/x.ts')).toBe(
      "const a = () => globalThis.__lazyImports.track(import('./a'));\n" +
        'const b = globalThis.__lazyImports.track(import(`./${name}.ts`)).then((m) => m);',
    );
  });

  it('leaves static imports, strings that mention import( and other files alone', () => {
    const code = "import { x } from './x';\nconst s = 'import(';\nexport { x, s };";
    expect(transform(code, '/repo/src/lib/x.ts')).toBeUndefined();
    expect(transform("const a = import('./a');", '/repo/node_modules/y/index.js')).toBeUndefined();
    expect(transform("const a = import('./a');", '/repo/tests/unit/z.ts')).toBeUndefined();
  });

  it('covers compiled Svelte components, queries and all', () => {
    expect(
      transform("load(() => import('./A.svelte'))", '/repo/src/App.svelte?svelte&type=script'),
    ).toContain("globalThis.__lazyImports.track(import('./A.svelte'))");
  });
});
