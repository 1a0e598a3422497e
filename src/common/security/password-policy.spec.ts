import { passwordProblem } from './password-policy';

describe('passwordProblem (NIST SP 800-63B)', () => {
  it.each([
    ['correct horse battery staple'],
    ['a-long-passphrase-here'],
    ['Zebra-Lantern-Orbit-4471'],
    ['test-admin-password-1'],
    ['long-enough-pass'],
  ])('takes %j', (password) => {
    expect(passwordProblem(password)).toBeNull();
  });

  it.each([
    ['short', /at least 12/],
    ['Tr0ub4dor&3', /at least 12/],
    ['password1234', /common/i],
    ['Password1234!', /common/i],
    ['P@ssw0rd12345', /guess/],
    ['qwertyuiop12', /guess/],
    ['aaaaaaaaaaaa', /repeat/i],
    ['abcabcabcabc', /repeat/i],
    ['123456789012', /guess/],
    ['rosedesk2026!', /guess/],
  ])('refuses %j', (password, reason) => {
    expect(passwordProblem(password)).toMatch(reason);
  });

  it('refuses a password made of the account’s own address or name', () => {
    expect(passwordProblem('jobloggs.example')).toBeNull();
    expect(passwordProblem('jobloggs.example', ['jobloggs.example@nhs.test', 'Jo Bloggs'])).toMatch(/guess/);
    expect(passwordProblem('bartholomew2026', ['b.x@nhs.test', 'Bartholomew Pennywhistle'])).toMatch(/guess/);
    expect(passwordProblem('jobloggs.example', ['jobloggs.a1b2@example.test', 'Jo Bloggs'])).toMatch(
      /own name/,
    );
  });

  it('counts characters, not UTF-16 units, toward the minimum', () => {
    expect(passwordProblem('🔑🔑🔑🔑🔑🔑')).toMatch(/at least 12/);
  });
});
