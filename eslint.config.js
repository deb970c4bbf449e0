// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const { builtinModules } = require('node:module');

/** Workflow code must stay deterministic: no Node built-ins, no Nest, no database drivers. */
const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);
const forbiddenInWorkflows = [
  '@nestjs/*',
  'typeorm',
  'pg',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
];

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', '.venv/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        globalThis: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'workflows/ must be deterministic: no Node built-ins',
          })),
          patterns: [
            {
              group: forbiddenInWorkflows,
              message:
                'workflows/ must be deterministic: no Node built-ins, Nest, TypeORM, pg or non-workflow Temporal packages',
            },
            {
              group: ['apps', 'db', 'config', 'temporal'].flatMap((dir) => [
                `**/${dir === 'apps' ? 'apps' : `libs/${dir}`}`,
                `**/${dir === 'apps' ? 'apps' : `libs/${dir}`}/**`,
              ]),
              message: 'workflows/ may import only @temporalio/workflow, contracts and libs/domain',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
