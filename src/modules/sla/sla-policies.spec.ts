import { DEFAULT_CALENDAR_FOR_SITE_CLASS, defaultSlaTargets, targetFor } from './domain/sla-targets';
import { SlaPolicies, type SlaPolicyColumns } from './sla-policies.service';

describe('SlaPolicies.termsFrom (the terms of a policy row read with slaPolicyJoin)', () => {
  const policies = new SlaPolicies();
  const row = (over: Partial<SlaPolicyColumns> = {}): SlaPolicyColumns => ({
    sla_policy_version_id: '42',
    sla_calendar_code: 'gp_core',
    sla_response_minutes: 120,
    sla_resolution_minutes: 1890,
    ...over,
  });

  it('takes the minutes, calendar and version of the policy row', () => {
    expect(policies.termsFrom(row(), 'community_health', 'P3')).toEqual({
      policyVersionId: '42',
      calendarCode: 'gp_core',
      minutes: { response: 120, resolution: 1890 },
    });
  });

  it('falls back to the site class calendar when neither the row nor its class names one', () => {
    expect(policies.termsFrom(row({ sla_calendar_code: null }), 'prison', 'P2').calendarCode).toBe(
      DEFAULT_CALENDAR_FOR_SITE_CLASS.prison,
    );
  });

  it('uses the built-in default targets, with no version, when no policy row matched (all columns null)', () => {
    const none: SlaPolicyColumns = {
      sla_policy_version_id: null,
      sla_calendar_code: null,
      sla_response_minutes: null,
      sla_resolution_minutes: null,
    };
    const fallback = targetFor(defaultSlaTargets(), 'hospital', 'P2');
    expect(policies.termsFrom(none, 'hospital', 'P2')).toEqual({
      policyVersionId: null,
      calendarCode: DEFAULT_CALENDAR_FOR_SITE_CLASS.hospital,
      minutes: { response: fallback.responseMinutes, resolution: fallback.resolutionMinutes },
    });
    expect(policies.termsFrom(undefined, 'hospital', 'P2')).toEqual(
      policies.termsFrom(none, 'hospital', 'P2'),
    );
  });
});
