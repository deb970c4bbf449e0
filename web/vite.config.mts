import { defineConfig } from 'vite';

/**
 * The web app. `npm run build` writes it to dist/web, which the API serves at / (same origin:
 * no CORS, the session cookie scoped to the API's session routes). For front-end work,
 * `npm run web:dev` serves it with hot reload and proxies /api to an `npm start` on port 3000.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // Below the budget line so a growing bundle shows in the build output before the check.
    chunkSizeWarningLimit: 600,
    sourcemap: false,
    rolldownOptions: {
      // React libraries mark modules "use client" for server components; meaningless in a SPA.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
  server: {
    port: 5173,
    proxy: { '/api': 'http://localhost:3000', '/health': 'http://localhost:3000' },
  },
});
