// The client's modules form no import cycle: a screen never imports something that imports it back (the
// language switch once tied the game's screens, Learn mode and the class screens into two rings). Static and
// dynamic imports both count; `import type` and `typeof import(...)` do not (they vanish from the build).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLIENT = path.join(ROOT, 'client/src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The client modules a file imports (relative specifiers that stay inside client/src). */
export function importsOf(file: string, text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specs = [
    // import x from '…', import { a } from '…', export … from '…' — but not `import type` / `export type`
    ...[...code.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'";]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!),
    // import '…' (side effects)
    ...[...code.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!),
    // import('…') — but not `typeof import('…')`
    ...[...code.matchAll(/(?<!typeof\s)\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!),
  ];
  return specs
    .filter((s) => s.startsWith('.'))
    .map((s) => path.resolve(path.dirname(file), s))
    .filter((p) => p.startsWith(CLIENT + path.sep) && p.endsWith('.ts'));
}

export function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    if (state.has(node)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return null;
}

describe('client module graph', () => {
  it('finds a cycle when there is one (the checker itself works)', () => {
    const a = path.join(CLIENT, 'a.ts');
    const b = path.join(CLIENT, 'b.ts');
    expect(importsOf(a, "import { x } from './b.ts';\nimport type { Y } from './c.ts';\ntype Z = typeof import('./d.ts');")).toEqual([b]);
    expect(importsOf(a, "const m = await import('./b.ts');")).toEqual([b]);
    expect(findCycle(new Map([[a, [b]], [b, [a]]]))).toEqual([a, b, a]);
    expect(findCycle(new Map([[a, [b]], [b, []]]))).toBeNull();
  });

  it('has no import cycle in client/src', () => {
    const graph = new Map<string, string[]>();
    for (const file of sources(CLIENT)) graph.set(file, importsOf(file, readFileSync(file, 'utf8')));
    expect(graph.size).toBeGreaterThan(20);
    const cycle = findCycle(graph);
    expect(cycle?.map((p) => path.relative(CLIENT, p)) ?? null).toBeNull();
  });
});
