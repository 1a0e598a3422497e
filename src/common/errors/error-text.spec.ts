import { errorText } from './error-text';

describe('errorText', () => {
  it.each([
    [new Error('451 4.3.0\r\nTry later'), '451 4.3.0 Try later'],
    ['plain', 'plain'],
    [new Error(''), 'unknown error'],
    [42, '42'],
  ])('%p → %p', (err, text) => {
    expect(errorText(err)).toBe(text);
  });

  it('keeps a last_error column within its 2,000 characters by default', () => {
    expect(errorText(new Error('x'.repeat(5_000)))).toHaveLength(2_000);
  });

  it('cuts a long message to the limit, ending with an ellipsis', () => {
    const text = errorText(new Error('x'.repeat(5_000)), 100);
    expect(text).toHaveLength(100);
    expect(text.endsWith('…')).toBe(true);
  });

  it('never includes properties beyond the message (a driver error carries the parameters)', () => {
    const err = Object.assign(new Error('duplicate key value'), { parameters: ['jane@example.org'] });
    expect(errorText(err)).toBe('duplicate key value');
  });
});
