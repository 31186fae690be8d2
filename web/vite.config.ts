/**
 * The platform's own web pages, built as an integrator would build theirs (Vite, vanilla
 * TypeScript, a typed client from GraphQL Code Generator): `/dashboard/` (INTEGRATOR: the regional
 * dashboard), `/questionnaire/` (PARTICIPANT: the study's questionnaire, R12) and `/claim/` (SUPERVISOR
 * and INAMI: a partner's claim of a month, printable, R17). Output in
 * `dist/web/`, served by the gateway on its own origin (gateway/web.ts).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: resolve(root, '../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // No inline scripts or styles: the pages run under a same-origin Content-Security-Policy.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: {
        dashboard: resolve(root, 'dashboard/index.html'),
        questionnaire: resolve(root, 'questionnaire/index.html'),
        claim: resolve(root, 'claim/index.html'),
      },
    },
  },
});
