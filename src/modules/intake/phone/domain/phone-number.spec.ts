import { canReceiveTexts, toE164 } from './phone-number';

describe('toE164', () => {
  it.each([
    ['+447700900123', '+447700900123'],
    ['07700 900123', '+447700900123'],
    ['01772 123456', '+441772123456'],
    ['+44 (0)1772 123456', '+441772123456'],
    ['0044 1772 123456', '+441772123456'],
    ['447911123456', '+447911123456'],
    ['+1 202 555 0123', '+12025550123'],
  ])('reads %s as %s', (raw, e164) => {
    expect(toE164(raw)).toBe(e164);
  });

  it.each([['anonymous'], ['+266696687'], [''], [null], ['123'], ['RoseDesk'], ['+4477009001234567']])(
    'finds no number in %p (withheld, short codes, senders by name)',
    (raw) => {
      expect(toE164(raw)).toBeNull();
    },
  );
});

describe('canReceiveTexts', () => {
  it('texts mobiles and numbers of unknown kind, never a landline', () => {
    expect(canReceiveTexts('+447911123456')).toBe(true);
    expect(canReceiveTexts('+447700900123')).toBe(true); // Ofcom's drama range: kind unknown, tried
    expect(canReceiveTexts('+441772123456')).toBe(false);
    expect(canReceiveTexts('+448001111111')).toBe(false);
  });
});
