// Layering rules from ARCHITECTURE.md, enforced: review cannot keep them.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'net', 'dgram', 'child_process', 'crypto', 'http', 'https', 'worker_threads', 'url', 'stream', 'events'];
const restrict = (patterns, message) => ({ group: patterns, message });

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'resources/daemons/**'] },
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
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          restrict(NODE_BUILTINS, 'src-shared is pure TS: no node builtins.'),
          restrict(['electron', 'react', 'react-dom', '**/src-main/**', '**/src-renderer/**', '**/src-preload/**', '**/src-daemons/**'], 'src-shared imports nothing but itself.'),
        ],
      }],
    },
  },
  {
    files: ['src-main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          restrict(['electron'], 'The core runs under plain Node: electron only in src-main/electron.'),
          restrict(['**/lab/**', '**/serve/**', '**/electron/**', '**/src-renderer/**', '**/src-preload/**'], 'The core imports only src-shared, node and its npm libraries.'),
        ],
      }],
    },
  },
  {
    files: ['src-main/lab/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          restrict(['electron'], 'The lab runs under plain Node.'),
          restrict(['**/serve/**', '**/electron/**', '**/core/api/**', '**/core/store/**', '**/core/fleet/**', '**/core/inventory/**', '**/src-renderer/**'], 'The lab reaches the core only through protocol codecs.'),
        ],
      }],
    },
  },
  {
    files: ['src-main/serve/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          restrict(['electron'], 'Serve mode runs under plain Node.'),
          restrict(['**/lab/**', '**/electron/**', '**/src-renderer/**'], 'Serve mode uses the core (create-core, api) and src-shared.'),
        ],
      }],
    },
  },
  {
    files: ['src-daemons/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [restrict(['electron', '**/src-renderer/**', '**/serve/**', '**/electron/**'], 'Daemons run on fleet hosts under plain Node.')],
      }],
    },
  },
  {
    files: ['src-preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [restrict(['**/src-main/**', '**/src-renderer/**', ...NODE_BUILTINS], 'The preload exposes the channel map only.')],
      }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', {
        patterns: [
          restrict(NODE_BUILTINS, 'The renderer runs in a browser: no node builtins.'),
          restrict(['electron', '**/src-main/**', '**/src-preload/**', '**/src-daemons/**'], 'The renderer talks to the core only through CoreClient.'),
        ],
      }],
    },
  },
);
