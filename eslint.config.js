// Lint with the type checker's help: the rules that catch real bugs (floating promises, unsafe any,
// misused promises, objects stringified as [object Object]) need types, so each file is linted
// inside its tsconfig project.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bench/results/', 'bench/.cache/', 'data/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `async` on a method that implements a Promise-returning interface keeps throws as rejections.
      '@typescript-eslint/require-await': 'off',
      // The project's (and tsc's noUnused*) convention: a leading `_` marks a binding kept on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test-support.ts', 'test/**/*.ts'],
    rules: {
      // vitest's asymmetric matchers (expect.any, expect.stringContaining) are typed any by design.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    // Plain JavaScript launchers (bin/, scripts/build.mjs) are in no tsconfig: lint them without types.
    files: ['**/*.mjs', '**/*.js', '**/*.d.mts'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
