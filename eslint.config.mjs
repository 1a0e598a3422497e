// typescript-eslint with type information: the rules STYLE.md asks for, on src, test, bench and migrations,
// and the module boundaries: pure domain folders, and an incidents module that knows none of its participants.
import tseslint from 'typescript-eslint';

/** domain/ folders are pure: no framework, database, queue, wire or config code (now is an argument). */
const PURE_DOMAIN = [
  {
    group: [
      '@nestjs/*',
      'typeorm',
      'bullmq',
      'pg',
      'ioredis',
      'fastify',
      'nodemailer',
      'twilio',
      'smtp-server',
    ],
    message: 'domain/ code is pure: no framework, database, queue or wire library.',
  },
  {
    group: ['**/config/**', '**/config'],
    message: 'domain/ code takes its settings as arguments, not from config.',
  },
  {
    group: ['**/*.entity', '**/*.service', '**/*.controller', '**/*.module', '**/*.processor'],
    message: 'domain/ code is pure: no entities, services, controllers, modules or processors.',
  },
];

/** Incidents offer extension points; the modules taking part in incidents plug into them, never the reverse. */
const INCIDENTS_KNOW_NO_PARTICIPANT = [
  {
    group: ['**/sla/**', '**/escalation/**', '**/reporting/**', '**/console/**', '**/intake/**'],
    message:
      'src/modules/incidents imports nothing from sla, escalation, reporting, console or intake: use the participant seam.',
  },
];

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'var/**', 'coverage/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['test/**/*.ts', '**/*.spec.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  // Later blocks replace the rule for the files they match, so each file set gets every boundary it is under.
  { files: ['src/modules/**/domain/**/*.ts'], rules: restrict(PURE_DOMAIN) },
  { files: ['src/modules/incidents/**/*.ts'], rules: restrict(INCIDENTS_KNOW_NO_PARTICIPANT) },
  {
    files: ['src/modules/incidents/domain/**/*.ts'],
    rules: restrict([...PURE_DOMAIN, ...INCIDENTS_KNOW_NO_PARTICIPANT]),
  },
);
