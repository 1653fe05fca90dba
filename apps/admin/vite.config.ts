import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

/**
 * The SPA is served by `metaspo serve` at `/`; in dev, Vite proxies `/trpc` and `/health` to a
 * running server. `@metaspo/source` resolves workspace packages (the schemas) to their sources,
 * so the admin build never needs a prior build of its dependencies. Every page is its own chunk
 * (src/routes/router.tsx): a chunk past 500 kB minified means something heavy reached a shared one.
 */
export default defineConfig({
  base: '/',
  plugins: [react()],
  resolve: { conditions: ['@metaspo/source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 500 },
  server: {
    proxy: {
      '/trpc': { target: 'http://127.0.0.1:3000', changeOrigin: false },
      '/health': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
