/**
 * Builds the broadcaster console into `admin-app/dist` (served by the origin at /admin/). Screens are split
 * per route (React.lazy), hls.js loads only when a preview plays, and react-aria keeps only the zh-CN and en-US
 * strings. ADMIN_OUT_DIR overrides the output directory (the e2e tests build into a temp dir).
 */
import optimizeLocales from '@react-aria/optimize-locales-plugin';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/admin/',
  plugins: [react(), { ...optimizeLocales.vite({ locales: ['zh-CN', 'en-US'] }), enforce: 'pre' }],
  logLevel: 'warn',
  build: {
    outDir: process.env.ADMIN_OUT_DIR ?? 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1000,
  },
});
