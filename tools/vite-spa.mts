import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type UserConfig } from 'vite';

const workspace = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const lib = (path: string) => resolve(workspace, 'libs/web', path);

/**
 * The Vite config both SPAs share: the `@ledgerport/web/*` aliases, output under dist/apps/<name>,
 * and a dev server that proxies the API on :3000.
 */
export function spaConfig(app: { name: string; base: string; port: number }): UserConfig {
  return defineConfig({
    root: resolve(workspace, 'apps', app.name),
    base: app.base,
    plugins: [vue()],
    resolve: {
      alias: {
        '@ledgerport/web/ui': lib('ui/src/index.ts'),
        '@ledgerport/web/api-client': lib('api-client/src/index.ts'),
      },
    },
    build: { outDir: resolve(workspace, 'dist/apps', app.name), emptyOutDir: true, sourcemap: true },
    server: {
      port: app.port,
      strictPort: true,
      proxy: {
        '/api': { target: 'http://localhost:3000', changeOrigin: false },
        '/healthz': { target: 'http://localhost:3000', changeOrigin: false },
      },
    },
    preview: { port: app.port },
  });
}
