import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import floors from './scripts/eslintFloors.mjs';

export default tseslint.config(
  { ignores: ['dist', '.e2e-dist', 'node_modules', 'test-results', 'playwright-report', 'public', 'training', 'bench/results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The floors of src/ (scripts/eslintFloors.mjs; test files may reach across).
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/**/*.test.{ts,tsx}'],
    plugins: { floors },
    rules: { 'floors/imports': 'error' },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      // Components render; the database is src/app's business (with storage/ and workers/ in floors/imports).
      'no-restricted-imports': ['error', { paths: ['dexie', 'dexie-react-hooks'].map((name) => ({ name, message: 'React components reach stored data through src/app.' })) }],
    },
  },
  {
    // The core is pure TypeScript: it runs in the browser, in workers and in Node alike.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['react', 'react-dom', 'dexie', 'three', 'zustand', 'onnxruntime-web', 'roslib'].map((name) => ({
          name, message: 'src/core is pure TypeScript: no UI, storage, 3D or runtime libraries.',
        })),
        patterns: [{ group: ['react/*', 'react-dom/*', 'three/*', 'dexie/*', '../ui/*', '../storage/*', '../viewer3d/*'], message: 'src/core must stay pure.' }],
      }],
      'no-restricted-globals': ['error', 'document', 'window', 'navigator', 'indexedDB', 'localStorage'],
    },
  },
  {
    // The robot layer (link, safety, control loop, recorder) runs against any sink and any UI:
    // recordings reach IndexedDB through src/storage, the screen through src/ui.
    files: ['src/robot/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['react', 'react-dom', 'dexie', 'three', 'zustand'].map((name) => ({
          name, message: 'src/robot has no UI, storage or 3D: pass a sink or callback in from src/ui.',
        })),
        patterns: [{ group: ['../ui/*', '../storage/*', '../storage', '../viewer3d/*'], message: 'src/robot must not reach into the UI, storage or 3D view.' }],
      }],
    },
  },
);
