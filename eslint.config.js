// ESLint over the whole code base: typescript-eslint's strictest type-checked rules, tuned only where a
// rule's default forbids something this code base does on purpose (each tuning says why).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Built, generated or local files: none is written by hand here.
    ignores: [
      'dist/',
      'node_modules/',
      '**/node_modules/',
      '.data/',
      '.local/',
      'coverage/',
      'web/generated/',
      'clients/',
      'test/artifacts/',
      'examples/*/src/gql/',
      'examples/*/public/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          // Build configuration files that no tsconfig.json includes are checked with the default project.
          allowDefaultProject: ['codegen.ts', 'web/codegen.ts', 'web/vite.config.ts', 'examples/*/codegen.ts'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Numbers and booleans print unambiguously in messages, SQL identifiers and logs; objects and undefined do not.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `() => void f()` and `x => set(x)` shorthands are the idiom for callbacks whose result nobody reads.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // type-graphql's @ObjectType/@InputType classes are the GraphQL types' shapes: resolvers and services answer plain
      // objects of that shape and type-graphql never needs an instance, so "not created by its constructor" is no fault.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    // In a test a missing value fails the test anyway: `!` states what the test expects without a guard.
    files: ['**/*.test.ts', 'test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // An integrator's example: its client types are generated against a running gateway with the integrator's own
    // token (src/gql/, not committed), so no types exist to check here; the rules that need none still apply.
    files: ['examples/**'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // Plain JavaScript files (jest and dependency-cruiser configuration, jest's global set-up) have no types.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        performance: 'readonly',
        module: 'writable',
        require: 'readonly',
      },
    },
  },
);
