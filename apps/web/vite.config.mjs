import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

// The browser front end (issue 9), built into dist/web and served by the API at `/`; its service
// worker (sw/sw.ts) is built beside it as /sw.js, at the root so it may serve the app's pages.
export default defineConfig({
  root: here('.'),
  plugins: [preact()],
  build: {
    outDir: here('../../dist/web'),
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: {
      input: { index: here('index.html'), sw: here('sw/sw.ts') },
      output: { entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') },
    },
  },
});
