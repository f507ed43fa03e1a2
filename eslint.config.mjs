// One ESLint setup for every workspace: typescript-eslint's recommended rules plus its type-aware
// promise rules, Prettier owns layout.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      '.infra/**',
      '**/generated/**',
      'openapi/**',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'off',
    },
  },
  // web-vue's single-file components: the plugin's recommended rules, TypeScript in <script setup>.
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['web-vue/**/*.vue'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] },
    },
    rules: {
      // browser globals and template names are checked by vue-tsc (npm run typecheck)
      'no-undef': 'off',
      'vue/multi-word-component-names': ['error', { ignores: ['App'] }],
      // user content is rendered as text (web-vue/src/lib/content.ts), never as HTML
      'vue/no-v-html': 'error',
    },
  },
  // Type-aware rules (typescript-eslint's type-checked ones about promises): a promise nobody
  // awaits or catches loses its error, and an async callback where a void one is expected (an
  // event listener, a server's request handler) drops its rejection. Each program is the
  // tsconfig that type-checks those files, so every file of the repo is linted with types.
  ...[
    { files: ['**/*.ts'], ignores: ['web-vue/**'], project: './tsconfig.check.json' },
    {
      files: ['web-vue/**/*.ts', 'web-vue/**/*.vue', 'web-vue/**/*.mts'],
      ignores: ['web-vue/server/**'],
      project: './web-vue/tsconfig.json',
    },
    { files: ['web-vue/server/**/*.ts'], project: './web-vue/server/tsconfig.json' },
  ].map(({ project, ...files }) => ({
    ...files,
    languageOptions: {
      parserOptions: {
        project: [project],
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.vue'],
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  })),
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
