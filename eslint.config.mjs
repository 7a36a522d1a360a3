import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const noElectron = {
  paths: [
    {
      name: 'electron',
      message: 'Only src/main/shell and src/preload may import electron; the engine must run in plain Node.'
    }
  ],
  patterns: [{ group: ['electron/*'], message: 'Only src/main/shell and src/preload may import electron.' }]
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'native/build/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '.test-reports/**',
      'dist/**',
      'packaging/generated/**'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-restricted-imports': ['error', noElectron]
    }
  },
  {
    // The shell and the preload are the only places that talk to Electron.
    files: [
      'src/main/hosts/electron/**',
      'src/preload/**',
      'tests/main/hosts/electron/**',
      'tests/e2e/electron-*.spec.ts'
    ],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' }
  },
  {
    files: ['src/renderer/**', 'tests/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules
  }
)
