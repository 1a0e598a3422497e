import { serviceFromText } from './service-hint';

describe('serviceFromText', () => {
  it.each([
    ['Wi-Fi down in outpatients', '', 'wireless'],
    ['No wifi on ward 5', '', 'wireless'],
    ['Phones not working at reception', '', 'voice'],
    ['Cannot connect to the VPN from home', '', 'remote_access'],
    ['Site down since 9am', '', 'wan'],
    ['Network point in room 4 dead', '', 'lan'],
    ['Mobile signal poor in the annexe', '', 'mobile'],
    ['Video conference room camera', '', 'videoconferencing'],
  ])('%s → %s', (subject, body, expected) => {
    expect(serviceFromText(subject, body)).toBe(expected);
  });

  it('prefers the subject, then the earliest word in it', () => {
    expect(serviceFromText('Phones and wifi down', 'the VPN too')).toBe('voice');
    expect(serviceFromText('Help please', 'The wireless stopped, and the phones')).toBe('wireless');
  });

  it('returns null when nothing matches, and skips services that are not in the catalogue', () => {
    expect(serviceFromText('Printer jammed', 'paper everywhere')).toBeNull();
    expect(serviceFromText('wifi down', '', new Set(['lan']))).toBeNull();
  });

  it('does not take "website" or "switched" for a service word', () => {
    expect(serviceFromText('The website is slow', 'I switched it off')).toBeNull();
  });
});
