// The server runs as plain JavaScript built by esbuild, not through tsx: no TypeScript loader thread in the
// server's process (its garbage collections took turns with the server on a one-core machine), no renaming
// of every named closure at each call (tsx keeps function names), and a start that compiles nothing.
// Bundled with the project's own code; packages stay imports from node_modules.
import { build, stop } from 'esbuild';

/** Build `entry` (a TypeScript file of the project) into `outfile` (an ES module, with its source map). */
export async function buildServer(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  // esbuild keeps a helper process for the next build; there is none, and the launcher lives as long as the server
  await stop();
}
