import { parseAst, type Plugin } from 'vite';

/**
 * Component tests only. The app loads much of its code lazily (`import()`
 * started by an effect), and a test may end while such a load is still in
 * flight; Vitest then tears the environment down under it and reports an
 * unhandled error for a test that passed. This plugin wraps every dynamic
 * import in the app's own source with `globalThis.__lazyImports.track(...)`,
 * so the component setup can wait for all of them before the file ends
 * (`settleLazyImports` in tests/component/setup.ts).
 */
export function trackLazyImports(): Plugin {
  return {
    name: 'parley:track-lazy-imports',
    enforce: 'post',
    transform(code, id) {
      if (!/\/src\/.*\.(ts|svelte)$/.test(id.replace(/\?.*/, '')) || !code.includes('import('))
        return;
      const spans: { start: number; end: number }[] = [];
      visit(parseAst(code), (node) => {
        if (node.type === 'ImportExpression') spans.push({ start: node.start, end: node.end });
      });
      if (spans.length === 0) return;
      // Insert from the end so earlier offsets stay valid; nested imports
      // (an import inside an import's argument) do not occur in the app.
      let out = code;
      for (const { start, end } of spans.sort((a, b) => b.start - a.start)) {
        out = `${out.slice(0, start)}globalThis.__lazyImports.track(${out.slice(start, end)})${out.slice(end)}`;
      }
      return { code: out, map: null };
    },
  };
}

interface Node {
  type: string;
  start: number;
  end: number;
}

function visit(value: unknown, onNode: (node: Node) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) visit(item, onNode);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (typeof (value as Node).type === 'string') onNode(value as Node);
  for (const child of Object.values(value)) visit(child, onNode);
}
