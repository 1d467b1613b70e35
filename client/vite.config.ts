import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { PATH_LEVELS } from '../shared/levels/path.ts';

// The browser client: root is client/, the project's own images come from assets/ (copied as they are),
// the build lands in dist/client at the repo root, where the server serves it.
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  publicDir: here('../assets'),
  // the number of levels on the learning path, for the menu's note; the levels themselves load with Learn mode
  define: { __PATH_LEVEL_COUNT__: JSON.stringify(PATH_LEVELS.length) },
  build: {
    outDir: here('../dist/client'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1600,
    rollupOptions: {
      output: {
        // Phaser changes rarely; a chunk of its own stays cached across releases of the game.
        manualChunks(id: string) {
          if (id.includes('node_modules/phaser')) return 'phaser';
          return undefined;
        },
        // The board's entry (board/game.ts) is named "board": named after its file it was "game", like the chunk
        // of the rules engine (shared/game/game.ts) that the replay and the class pages share.
        chunkFileNames: (chunk) =>
          chunk.facadeModuleId?.replaceAll('\\', '/').endsWith('/client/src/board/game.ts') ? 'assets/board-[hash].js' : 'assets/[name]-[hash].js',
      },
    },
  },
  server: {
    proxy: { '/socket.io': { target: 'http://127.0.0.1:3000', ws: true } },
  },
});
