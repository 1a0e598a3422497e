import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentVariables } from './env.schema';

/** Every variable the app reads is documented in .env.example and in the README's table. */
describe('environment documentation', () => {
  const root = join(__dirname, '..', '..');
  const example = readFileSync(join(root, '.env.example'), 'utf8');
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const withDefaults = Object.keys(new EnvironmentVariables());
  const optional = [
    'DATABASE_URL',
    'REDIS_URL',
    'ADMIN_PASSWORD',
    'JWT_SECRET',
    'PRIORITY_MATRIX',
    'SMTP_URL',
  ];

  it.each([...new Set([...withDefaults, ...optional])])('%s is in .env.example and the README', (name) => {
    expect(example).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
    expect(readme).toContain(`\`${name}\``);
  });
});
