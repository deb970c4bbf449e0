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
  // Holiday data changes with each release: workflows take a calendar snapshot from an activity.
  'date-holidays',
  'chinese-days',
];

/**
 * SQL lives in one place per table family, libs/db/repositories/: elsewhere no statement text
 * (`x.query('…')`), no query builder, no TypeORM repository and no entity-manager read or write.
 * Migrations, scripts, benchmarks and tests may. `x.query(definition)` (a Temporal query) is fine.
 */
const SQL_ONLY_IN_REPOSITORIES =
  'SQL lives in libs/db/repositories/: call the table family’s repository';
const ENTITY_OPERATIONS =
  '/^(find|findBy|findOne|findOneBy|findOneOrFail|findOneByOrFail|findAndCount|findAndCountBy|count|countBy|exists|existsBy|insert|update|upsert|delete|save|remove|softDelete|restore|increment|decrement|sum|average|minimum|maximum)$/';
const sqlOutsideRepositories = [
  "CallExpression[callee.property.name='query'][arguments.0.type='Literal']",
  "CallExpression[callee.property.name='query'][arguments.0.type='TemplateLiteral']",
  // A query function handed around: query(`INSERT …`).
  "CallExpression[callee.name='query'][arguments.0.type='Literal']",
  "CallExpression[callee.name='query'][arguments.0.type='TemplateLiteral']",
  "CallExpression[callee.property.name='createQueryBuilder']",
  "CallExpression[callee.property.name='getRepository']",
  "CallExpression[callee.property.name='createQueryRunner']",
  // An entity manager's operations: m.findOne(UserEntity, …), tx.save(row), x.manager.delete(…).
  `CallExpression[callee.property.name=${ENTITY_OPERATIONS}]:matches([arguments.0.name=/Entity$/], [callee.object.name=/^(m|tx|manager|entityManager)$/], [callee.object.property.name='manager'])`,
].map((selector) => ({ selector, message: SQL_ONLY_IN_REPOSITORIES }));

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
                'workflows/ must be deterministic: no Node built-ins, Nest, TypeORM, pg, holiday data or non-workflow Temporal packages',
            },
            {
              group: ['apps', 'db', 'config', 'temporal', 'calendars'].flatMap((dir) => [
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
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: [
      'libs/db/repositories/**',
      'libs/db/migrations/**',
      // Runs the migrations under their advisory lock.
      'libs/db/migrate.ts',
      '**/*.spec.ts',
    ],
    rules: {
      'no-restricted-syntax': ['error', ...sqlOutsideRepositories],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'typeorm',
              importNames: [
                'Repository',
                'SelectQueryBuilder',
                'QueryBuilder',
                'QueryRunner',
                'In',
                'IsNull',
                'Not',
                'Like',
                'ILike',
                'Raw',
                'Any',
                'Between',
                'MoreThan',
                'MoreThanOrEqual',
                'LessThan',
                'LessThanOrEqual',
                'FindOptionsWhere',
                'FindManyOptions',
                'FindOneOptions',
              ],
              message: SQL_ONLY_IN_REPOSITORIES,
            },
            { name: '@nestjs/typeorm', message: SQL_ONLY_IN_REPOSITORIES },
          ],
        },
      ],
    },
  },
  {
    // Nest's TypeORM module is wired here, once.
    files: ['libs/db/db.module.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
