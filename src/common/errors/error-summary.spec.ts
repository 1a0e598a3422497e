import { QueryFailedError } from 'typeorm';
import { errorSummary } from './error-summary';

/** A node-postgres DatabaseError as the driver builds it from the server's ErrorResponse. */
function pgError(fields: Record<string, unknown>, message: string): Error {
  return Object.assign(new Error(message), { severity: 'ERROR', routine: 'x', ...fields });
}

describe('errorSummary', () => {
  it('keeps class, SQLSTATE, constraint and message of a failed query, never its parameters, text or detail', () => {
    const driver = pgError(
      {
        code: '23514',
        table: 'incident',
        constraint: 'incident_summary_check',
        detail: 'Failing row contains (Jo Bloggs, jo@example.test)',
      },
      'new row for relation "incident" violates check constraint "incident_summary_check"',
    );
    const err = new QueryFailedError(
      'INSERT INTO incident VALUES ($1, $2)',
      ['Jo Bloggs', 'jo@example.test'],
      driver,
    );
    const summary = errorSummary(err);
    expect(summary).toEqual({
      type: 'QueryFailedError',
      code: '23514',
      constraint: 'incident_summary_check',
      message: 'new row for relation "incident" violates check constraint "incident_summary_check"',
    });
    expect(JSON.stringify(summary)).not.toMatch(/Jo Bloggs|jo@example|INSERT/);
  });

  it.each([
    [
      'invalid input syntax for type uuid: "------------------------------------"',
      'invalid input syntax for type uuid: "…"',
    ],
    [
      'value "99999999999999999999" is out of range for type bigint',
      'value "…" is out of range for type bigint',
    ],
    ['invalid input value for enum role: "jo@example.test"', 'invalid input value for enum role: "…"'],
  ])('masks the value PostgreSQL quotes in %s', (message, masked) => {
    expect(errorSummary(pgError({ code: '22P02' }, message)).message).toBe(masked);
  });

  it('keeps class, code and message of any other error, and nothing else it carries', () => {
    const err = Object.assign(new TypeError('bad thing'), { code: 'E_BAD', body: { password: 'secret' } });
    expect(errorSummary(err)).toEqual({ type: 'TypeError', code: 'E_BAD', message: 'bad thing' });
    expect(errorSummary('a string')).toEqual({ type: 'string', message: 'a string' });
  });

  it('does not take an error that merely has a five-letter code for a database error', () => {
    expect(errorSummary(Object.assign(new Error('x'), { code: 'ABCDE' }))).toEqual({
      type: 'Error',
      code: 'ABCDE',
      message: 'x',
    });
  });

  it('leaves a summary as it is when summarised again (a caller logged err: errorSummary(e))', () => {
    const once = errorSummary(Object.assign(new Error('x'), { code: 'E1' }));
    expect(errorSummary(once)).toEqual(once);
    expect(errorSummary({ ...once, parameters: ['secret'] })).toEqual(once);
  });
});
