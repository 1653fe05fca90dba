import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';
import { adminSourceHash, STAMP_FILE } from './build-stamp.mjs';

/**
 * Writes dist/build-stamp.json: the hash of the sources this build read, hashed before it reads
 * them. `metaspo serve` rebuilds a dist/ whose stamp no longer matches the sources.
 */
function buildStamp(): Plugin {
  let root = '';
  let sourceHash = '';
  return {
    name: 'metaspo-build-stamp',
    apply: 'build',
    configResolved(config) {
      root = config.root;
    },
    buildStart() {
      sourceHash = adminSourceHash(root);
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: STAMP_FILE, source: `${JSON.stringify({ sourceHash })}\n` });
    },
  };
}

/**
 * The SPA is served by `metaspo serve` at `/`; in dev, Vite proxies `/trpc` and `/health` to a
 * running server. `@metaspo/source` resolves workspace packages (the schemas) to their sources,
 * so the admin build never needs a prior build of its dependencies. Every page is its own chunk
 * (src/routes/router.tsx): a chunk past 500 kB minified means something heavy reached a shared one.
 */
export default defineConfig({
  base: '/',
  plugins: [react(), buildStamp()],
  resolve: { conditions: ['@metaspo/source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 500 },
  server: {
    proxy: {
      '/trpc': { target: 'http://127.0.0.1:3000', changeOrigin: false },
      '/health': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
