import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Main-side entries: the Electron shell, the core host (utilityProcess), serve mode
// (plain Node), the lab fleet process and its utilityProcess wrapper. All are built into out/main.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-main/electron/main.ts'),
          'core-host': resolve(__dirname, 'src-main/electron/core-host.ts'),
          serve: resolve(__dirname, 'src-main/serve/serve-cli.ts'),
          lab: resolve(__dirname, 'src-main/lab/lab-process.ts'),
          // The lab as a utilityProcess on the desktop: lab.js with fork-style IPC over parentPort.
          'lab-utility': resolve(__dirname, 'src-main/electron/lab-utility.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload may require only 'electron': the contract it checks names
      // against (src-shared/api, with zod) is bundled in, not left as require('zod').
      externalizeDeps: false,
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-preload/index.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});
