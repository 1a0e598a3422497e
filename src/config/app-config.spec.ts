import { ConfigError, loadConfig, parseRole } from './app-config';

describe('loadConfig', () => {
  it('runs embedded with no environment at all, on the documented defaults', () => {
    const config = loadConfig({});
    expect(config.mode).toBe('embedded');
    expect(config.env.PORT).toBe(3000);
    expect(config.env.ADMIN_EMAIL).toBe('admin@rosedesk.local');
    expect(config.databaseUrl).toBeUndefined();
  });

  it.each([
    [{ DATABASE_URL: 'postgres://u@h/db' }, 'single-server'],
    [{ DATABASE_URL: 'postgres://u@h/db', REDIS_URL: 'redis://h:6379' }, 'scaled'],
    [{ REDIS_URL: 'redis://h:6379' }, 'embedded'],
    [{ DATABASE_URL: '' }, 'embedded'],
  ])('derives the mode from %j', (env, mode) => {
    expect(loadConfig(env).mode).toBe(mode);
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'abc',
        DATABASE_URL: 'mysql://x',
        RUN_MIGRATIONS: 'maybe',
        ADMIN_PASSWORD: 'short',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'ADMIN_PASSWORD',
      'DATABASE_URL',
      'PORT',
      'RUN_MIGRATIONS',
    ]);
    expect(problems).toContain('PORT: must be a whole number between 1 and 65535 (got "abc")');
  });

  it.each(['password1234', 'aaaaaaaaaaaaaaaa', 'admin@rosedesk.local'])(
    'refuses the common or guessable ADMIN_PASSWORD %j as it refuses one for any account',
    (password) => {
      expect(() => loadConfig({ ADMIN_PASSWORD: password })).toThrow(
        /ADMIN_PASSWORD: .*(guess|common|repeat)/i,
      );
    },
  );

  it('converts numbers and booleans from their string form', () => {
    const config = loadConfig({ PORT: '8080', RUN_MIGRATIONS: 'false', SEED_DEMO: '0' });
    expect(config.env.PORT).toBe(8080);
    expect(config.env.RUN_MIGRATIONS).toBe(false);
    expect(config.env.SEED_DEMO).toBe(false);
  });
});

describe('parseRole', () => {
  it('reads --role and refuses an unknown one', () => {
    expect(parseRole([])).toBe('all');
    expect(parseRole(['--role=api'])).toBe('api');
    expect(() => parseRole(['--role=boss'])).toThrow(ConfigError);
  });
});
