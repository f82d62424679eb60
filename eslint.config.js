// ESLint flat config. Besides the usual type-aware rules it enforces the layer table of
// ../shared/DESIGN.md (imports point down only, no cycles) and the purity of the core layers.
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Folders of each layer, top to bottom. A file may import only from its own layer's folder or below. */
const layers = {
  entry: ['src/cli', 'src/producer', 'src/worker', 'src/board'],
  runtime: ['src/runtime'],
  adapters: ['src/queue', 'src/warehouse', 'src/experiments/api'],
  analysis: ['src/analysis'],
  config: ['src/config'],
  experiments: ['src/experiments'],
  stats: ['src/stats'],
};

/** `no-restricted-paths` zones: `target` may not import `from`. */
const zones = [
  // leaf: stats imports nothing else from src/
  {
    target: './src/stats',
    from: './src',
    except: ['./stats'],
    message: 'src/stats is the leaf layer.',
  },
  // core (config, experiments, analysis) imports core and stats; never adapters, runtime or entry points
  {
    target: [
      './src/config',
      './src/analysis',
      './src/experiments/*.ts',
      './src/experiments/!(api)/**',
    ],
    from: [
      ...layers.adapters.map((p) => `./${p}`),
      ...layers.runtime.map((p) => `./${p}`),
      ...layers.entry.map((p) => `./${p}`),
    ],
    except: [],
    message: 'Core imports only core, src/stats and pure libraries.',
  },
  // adapters import core only, never each other
  {
    target: './src/queue',
    from: [
      './src/warehouse',
      './src/experiments/api',
      './src/runtime',
      ...layers.entry.map((p) => `./${p}`),
    ],
    message: 'Adapters import core only.',
  },
  {
    target: './src/warehouse',
    from: [
      './src/queue',
      './src/experiments/api',
      './src/runtime',
      ...layers.entry.map((p) => `./${p}`),
    ],
    message: 'Adapters import core only.',
  },
  {
    target: './src/experiments/api',
    from: ['./src/queue', './src/warehouse', './src/runtime', ...layers.entry.map((p) => `./${p}`)],
    message: 'Adapters import core only.',
  },
  // runtime (entry-point support: environment, logger, wiring) never imports entry points
  {
    target: './src/runtime',
    from: layers.entry.map((p) => `./${p}`),
    message: 'src/runtime is imported by entry points, not the reverse.',
  },
  // producer, worker and board do not import the CLI
  {
    target: ['./src/producer', './src/worker', './src/board'],
    from: './src/cli',
    message: 'Only the CLI composes the other entry points.',
  },
];

const impureModules = [
  'node:*',
  'fs',
  'path',
  'os',
  'http',
  'child_process',
  'worker_threads',
  'bullmq',
  'ioredis',
  '@duckdb/*',
  '@google-cloud/*',
  'google-auth-library',
  'pino',
  'pino-pretty',
  'express',
  '@bull-board/*',
  'prom-client',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'reports/**',
      'artifacts/**',
      'coverage/**',
      '.scratch/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked.map((c) => ({ ...c, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [
        importX.createNodeResolver({
          extensions: ['.ts', '.js'],
          extensionAlias: { '.js': ['.ts', '.js'] },
        }),
      ],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      curly: ['error', 'multi-line'],
      eqeqeq: ['error', 'smart'],
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones }],
    },
  },
  {
    // Core and stats never read the clock, the environment or Math.random, and do no I/O.
    files: [
      'src/stats/**/*.ts',
      'src/config/**/*.ts',
      'src/analysis/**/*.ts',
      'src/experiments/**/*.ts',
    ],
    ignores: ['src/experiments/api/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: impureModules,
              message: 'Core layers are pure: pass I/O in as data or functions.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time is a parameter in core.' },
        {
          object: 'Math',
          property: 'random',
          message: 'Randomness is a seeded parameter in core.',
        },
        { object: 'process', property: 'env', message: 'Only entry points read the environment.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Time is a parameter in core.',
        },
      ],
    },
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
      },
    },
  },
);
