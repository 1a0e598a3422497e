import { pickRoute, type RouteRule } from './routing';

const rule = (
  id: string,
  siteClass: string | null,
  priority: string | null,
  autoEscalate = false,
): RouteRule => ({
  id,
  serviceId: 'wan',
  siteClass,
  priority,
  supplierId: `sup-${id}`,
  autoEscalate,
});

describe('routing rules', () => {
  const rules = [
    rule('any', null, null),
    rule('prison', 'prison', null),
    rule('p1', null, 'P1', true),
    rule('both', 'prison', 'P1'),
  ];

  it('picks the most specific matching rule of the service', () => {
    expect(pickRoute(rules, { serviceId: 'wan', siteClassCode: 'hospital', priority: 'P3' })?.id).toBe('any');
    expect(pickRoute(rules, { serviceId: 'wan', siteClassCode: 'prison', priority: 'P3' })?.id).toBe(
      'prison',
    );
    expect(pickRoute(rules, { serviceId: 'wan', siteClassCode: 'hospital', priority: 'P1' })?.id).toBe('p1');
    expect(pickRoute(rules, { serviceId: 'wan', siteClassCode: 'prison', priority: 'P1' })?.id).toBe('both');
  });

  it('finds nothing for another service', () => {
    expect(pickRoute(rules, { serviceId: 'voice', siteClassCode: 'prison', priority: 'P1' })).toBeNull();
  });
});
