/**
 * Builds the TV app. Production: `tv-app/dist` (served by the origin at /tv/). With TV_DEV_BUILD=1 (the e2e
 * tests and the benchmark's inspector runs): `__DEV__` true, Blits' inspector on (the node tree mirrored
 * as DOM divs), output in TV_OUT_DIR or `tv-app/dist-dev`.
 */
import { blitsFileConverter, preCompiler, reactivityGuard } from '@lightningjs/blits/vite'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const dev = process.env.TV_DEV_BUILD === '1'
const root = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  root,
  base: '/tv/',
  // Not Blits' msdfGenerator: the CJK font is a web font (an MSDF atlas of 7,800 glyphs would be huge).
  plugins: [blitsFileConverter(), reactivityGuard(), preCompiler()],
  define: {
    __DEV__: JSON.stringify(dev),
  },
  // The shared font lives in assets/fonts at the repository root; imports outside the root are fine.
  server: { fs: { allow: ['..'] } },
  logLevel: 'warn',
  build: {
    outDir: process.env.TV_OUT_DIR ?? (dev ? 'dist-dev' : 'dist'),
    emptyOutDir: true,
    target: 'es2019',
    minify: !dev && process.env.TV_MINIFY !== '0',
    sourcemap: false,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2000,
  },
})
