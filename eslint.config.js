import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The pure core must not reach the process, the network or the terminal
// (docs/design/architecture.md): enforced here per folder, like k6's forbidigo.
const pureFolders = [
  'src/config/**',
  'src/journey/**',
  'src/matomo/**',
  'src/schedule/**',
  'src/backfill/**',
  'src/report/**',
  'src/random/**',
  'src/workload/**',
  'src/capacity/**',
  // The live engine is imperative but does no I/O of its own: Clock and Transport come in as arguments.
  'src/engine/**',
  'src/metrics/**',
];

// Only cli/ hands the process edge (io.ts) down; config/load.ts is the one reader below it. The rest
// takes what it needs as arguments and never imports a command.
const edgeImports = {
  group: ['**/io.js', '**/cli/**'],
  message: 'Only cli/ (and config/load.ts) use the process edge: take what you need as arguments.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: {
      'no-console': 'error',
      'no-restricted-globals': ['error', { name: 'process', message: 'Use the Io object (io.ts).' }],
    },
  },
  {
    files: pureFolders,
    ignores: ['src/config/load.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'The pure core does no I/O.' },
            { group: ['undici', 'cli-progress', 'commander'], message: 'The pure core does no I/O.' },
            edgeImports,
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Take an Rng (random/rng.ts).' },
        { object: 'Date', property: 'now', message: 'Take a Clock (time/clock.ts).' },
      ],
    },
  },
  {
    files: ['src/sink/**', 'src/engine/**', 'src/transport/**', 'src/state/**', 'src/probe/**', 'src/metrics/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [edgeImports] }] },
  },
  {
    files: ['scripts/**/*.{js,mjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', performance: 'readonly', Buffer: 'readonly' } },
  },
);
