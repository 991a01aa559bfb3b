// ESLint 9 flat config: typescript-eslint's recommended rules (syntax only, no type information, so it stays fast)
// plus the project's own rules: pure modules read no clock, no function in scheduler/ over 80 lines, 120 columns.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Modules that must not read the clock: time comes in as an argument (an injected `clock` or an instant). */
const PURE_MODULES = [
  'playlists/**/*.ts',
  'scheduler/schedule/build.ts',
  'scheduler/schedule/build-types.ts',
  'scheduler/schedule/slot-placement.ts',
  'scheduler/schedule/progression.ts',
  'scheduler/schedule/broadcast-day.ts',
  'scheduler/schedule/broadcast-date.ts',
  'scheduler/schedule/timetable-selection.ts',
  'scheduler/schedule/channel-document.ts',
];

const CLOCK_MESSAGE = 'Pure module: take the time as an argument (an injected clock or an instant), do not read it.';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'tv-app/dist/**',
      'admin-app/dist/**',
      'coverage/**',
      'data/**',
      'tests/fixtures/**',
      'admin-app/src/api/schema.d.ts',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      'max-len': [
        'error',
        {
          code: 120,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreUrls: true,
          ignoreRegExpLiterals: true,
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests read JSON bodies and poke at internals; `any` there is a test's business, not production's.
    files: ['tests/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['tv-app/src/**', 'admin-app/src/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: PURE_MODULES,
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: CLOCK_MESSAGE },
        { object: 'DateTime', property: 'now', message: CLOCK_MESSAGE },
        { object: 'performance', property: 'now', message: CLOCK_MESSAGE },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: CLOCK_MESSAGE },
        { selector: "CallExpression[callee.name='Date'][arguments.length=0]", message: CLOCK_MESSAGE },
        {
          selector: "CallExpression[callee.object.name='DateTime'][callee.property.name='local'][arguments.length=0]",
          message: CLOCK_MESSAGE,
        },
      ],
    },
  },
  {
    files: ['scheduler/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
);
