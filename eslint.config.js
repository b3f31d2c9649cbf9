// Lint for FleetDeck, and the layering rules from ARCHITECTURE.md ("Who may import whom"),
// enforced: review cannot keep them.
//
// Layering is written as ALLOWED lists, VS Code style (its code-import-patterns rule): per
// folder, what a file may import; everything else is an error. It is a small local rule
// (eslint-rules/layering.js) rather than eslint-plugin-boundaries because:
//  - boundaries judges only imports its resolver can resolve to a known element; an import
//    whose target does not exist (a file mid-move, a planted test import) is left to a
//    separate no-unknown rule, and wiring an import resolver for .ts without extensions is
//    extra machinery. The local rule resolves relative imports lexically, so every import is
//    judged by where it points.
//  - bare packages, node builtins and type-only imports (the preload's `import type` from
//    src-shared) sit in the same allow list as paths; one table mirrors the architecture.
//  - about 200 lines with no dependency, against a plugin whose config keys were renamed
//    across its last majors.
// The layers are matched in order, first match wins; a source file in no layer is an error.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { layeringPlugin } from './eslint-rules/layering.js';

const SHARED = 'src-shared/**';
const CORE = 'src-main/core';
const CODECS = `${CORE}/protocols/*/codec/**`;
// The base layer: protocols and security, resting on config and src-shared.
const BASE = [SHARED, 'builtin', 'npm', `${CORE}/config`, `${CORE}/protocols/**`, `${CORE}/security/**`];
const STORE = [...BASE, `${CORE}/store/**`];
// Capabilities: every sibling folder of core that is not protocols, security, store or api.
const CAPABILITIES = [...STORE, `${CORE}/*/**`, `!${CORE}/api/**`];
const BROWSER_PACKAGES = ['npm:react', 'npm:react-dom', 'npm:zustand', 'npm:zod', 'npm:three', 'npm:qrcode', 'npm:@deck.gl/*', 'npm:@luma.gl/*', 'npm:@loaders.gl/*', 'npm:@math.gl/*'];
const RENDERER = [SHARED, 'src-renderer/**', ...BROWSER_PACKAGES];
const CORE_WHY = 'Inside core: protocols, security < store < capabilities < api < create-core, never upward; core never imports electron, lab, serve, preload or renderer.';

export const LAYERS = [
  { name: 'shared', files: 'src-shared/**', allow: [SHARED, 'npm:zod'],
    why: 'src-shared is pure TS: only itself and zod; no node builtins, electron or DOM libraries.' },

  { name: 'core config', files: `${CORE}/config`, allow: [SHARED], why: 'core/config.ts imports only src-shared.' },
  { name: 'core create-core', files: `${CORE}/create-core`, allow: [SHARED, 'builtin', 'npm', `${CORE}/**`], why: CORE_WHY },
  { name: 'core base (protocols, security)', files: [`${CORE}/protocols/**`, `${CORE}/security/**`], allow: BASE, why: CORE_WHY },
  { name: 'core store', files: `${CORE}/store/**`, allow: STORE, why: CORE_WHY },
  { name: 'core api', files: `${CORE}/api/**`, allow: [SHARED, 'builtin', 'npm', `${CORE}/**`, `!${CORE}/create-core`], why: CORE_WHY },
  { name: 'core capability', files: `${CORE}/*/**`, allow: CAPABILITIES, why: CORE_WHY },

  { name: 'lab', files: 'src-main/lab/**', allow: [SHARED, 'builtin', 'npm:net-snmp', 'npm:ssh2', 'src-main/lab/**', CODECS, 'src-daemons/**'],
    why: 'The lab reaches the core only through protocol codecs (core/protocols/*/codec), never sessions or transports; it runs the real agent code (src-daemons) for its hosts\' agents.' },
  { name: 'daemons', files: 'src-daemons/**', allow: [SHARED, 'builtin', 'src-daemons/**', CODECS],
    why: 'Daemons run on fleet hosts: src-shared, node builtins and protocol codecs only.' },
  { name: 'serve', files: 'src-main/serve/**',
    allow: [SHARED, 'builtin', 'npm', 'src-main/serve/**', `${CORE}/create-core`, `${CORE}/config`, `${CORE}/api/**`, `${CORE}/security/**`],
    why: 'Serve mode uses the core through create-core, config, api and security, never the lab or electron.' },
  { name: 'electron', files: 'src-main/electron/**',
    allow: [SHARED, 'builtin', 'npm', 'npm:electron', 'src-main/electron/**', `${CORE}/**`, 'src-main/serve/**'],
    why: 'The desktop shell: core, serve pieces, src-shared and electron.' },

  // The channel map (method and event names, channel constants) is bundled into the preload
  // so it can refuse unknown names before they reach IPC; everything else only as types.
  { name: 'preload', files: 'src-preload/**', allow: ['npm:electron', 'src-preload/**', 'src-shared/api/**', `type:${SHARED}`],
    why: 'The preload exposes the channel map only: electron, itself, the contract in src-shared/api, and other src-shared as `import type`.' },

  { name: 'renderer view', files: ['src-renderer/views/**', 'src-renderer/components/**'],
    allow: [...RENDERER, '!src-renderer/transport/**', '!src-renderer/stores/client'],
    why: 'Views and components call the exported actions in stores/, never the client or a transport.' },
  { name: 'renderer', files: 'src-renderer/**', allow: RENDERER,
    why: 'The renderer is a browser: src-shared, itself and browser libraries; never node builtins, electron or src-main.' },
];

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', '.tools/**', 'test-results/**', 'playwright-report/**', 'resources/daemons/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // test/** and the root config files are unrestricted.
    files: ['src-shared/**', 'src-main/**', 'src-preload/**', 'src-renderer/**', 'src-daemons/**'].map((dir) => `${dir}/*.{ts,tsx,mts,cts,js,mjs,cjs,jsx}`),
    plugins: { fleetdeck: layeringPlugin },
    rules: { 'fleetdeck/layering': ['error', { layers: LAYERS }] },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
);
