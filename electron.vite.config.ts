import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';
import { precompileMessages } from './scripts/vite-precompile-messages';

// The three entries are set explicitly so `electron-vite build` works where the Electron
// binary cannot be downloaded (only `dev`/`preview` need it). The main build also emits
// the `netlab` command line (cli.js), which runs the same lab core under plain Node.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // bundled, not loaded from node_modules: zod's classic API imports ~150 ES modules (every
      // locale) and the loader's per-file resolve/read/compile cost the lab's start-up more than
      // compiling the parts NetLab uses as one chunk; yaml's CommonJS files likewise
      externalizeDeps: { exclude: ['zod', 'yaml', 'ws', 'dns-packet', 'fast-xml-parser', 'http-cache-semantics', 'bencode'] },
      rollupOptions: {
        input: {
          // the app's main: the window, or a `netlab` command run by the installed app
          main: resolve(__dirname, 'src-main/app-entry.ts'),
          index: resolve(__dirname, 'src-main/index.ts'),
          cli: resolve(__dirname, 'src-main/cli.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // bundled into one CommonJS file so the renderer keeps the sandbox on
      externalizeDeps: false,
      rollupOptions: {
        input: { preload: resolve(__dirname, 'src-main/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    base: './',
    // the catalogues compiled here, not in the page (scripts/vite-precompile-messages.ts)
    plugins: [vue(), precompileMessages()],
    // vue-i18n's feature flags: the Composition API only, messages compiled without eval (CSP),
    // and when the renderer is built, so the page carries no message compiler
    define: {
      __VUE_I18N_FULL_INSTALL__: 'true',
      __VUE_I18N_LEGACY_API__: 'false',
      __INTLIFY_PROD_DEVTOOLS__: 'false',
      __INTLIFY_JIT_COMPILATION__: 'true',
      __INTLIFY_DROP_MESSAGE_COMPILER__: 'true',
    },
    build: {
      outDir: 'out/renderer',
      chunkSizeWarningLimit: 8000,
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});
