import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'release/', 'bench/results/', 'docs/', 'test-results/', '.tmp/'],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The engine is plain TypeScript over SQLite: no Electron, no HTTP, so every door can share it.
    files: ['main/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            'electron',
            'fastify',
            'http',
            'https',
            'node:http',
            'node:https',
            'node:http2',
            'http2',
            'express',
            'undici',
          ],
          patterns: ['electron/*', 'fastify/*', '@fastify/*', '**/api/*', '**/rpc/*', '**/electron/*'],
        },
      ],
    },
  },
  {
    // Doors reach a room only through its index.ts (and the engine's top-level files), never its insides.
    files: [
      'main/*.ts',
      'main/api/**/*.ts',
      'main/rpc/**/*.ts',
      'main/sync/**/*.ts',
      'main/printing/**/*.ts',
      'main/server/**/*.ts',
      'main/demo/**/*.ts',
      'main/electron/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)engine/[^/]+/.',
              message:
                "Import the room's index (engine/<room>), not a file inside it; SQL stays in engine/db.",
            },
          ],
        },
      ],
    },
  },
);
