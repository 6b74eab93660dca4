import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const root = fileURLToPath(new URL('.', import.meta.url));
const lib = (path: string) => fileURLToPath(new URL(`../../libs/web/${path}`, import.meta.url));

export default defineConfig({
  root,
  base: '/portal/',
  plugins: [vue()],
  resolve: {
    alias: {
      '@ledgerport/web/ui': lib('ui/src/index.ts'),
      '@ledgerport/web/api-client': lib('api-client/src/index.ts'),
    },
  },
  build: {
    outDir: '../../dist/apps/client-portal',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    port: 4300,
    strictPort: true,
    proxy: {
      '/api': { target: 'http://localhost:3000', changeOrigin: false },
      '/healthz': { target: 'http://localhost:3000', changeOrigin: false },
    },
  },
  preview: {
    port: 4300,
  },
});
