import { SITE_CLASSES as DIRECTORY_SITE_CLASSES } from '../../directory/domain/site-classes';
import { PRIORITIES as INCIDENT_PRIORITIES } from '../../incidents/domain/incident-enums';
import { SlaTargetNotFoundError } from './sla-domain.errors';
import { PRIORITIES, SITE_CLASSES, type SlaTargetRow, defaultSlaTargets, targetFor } from './sla-targets';

describe('SLA value sets', () => {
  it("are the directory's site classes and the incident priorities, in the same order", () => {
    expect([...SITE_CLASSES]).toEqual([...DIRECTORY_SITE_CLASSES]);
    expect(PRIORITIES).toBe(INCIDENT_PRIORITIES);
  });
});

describe('defaultSlaTargets', () => {
  const rows = defaultSlaTargets();

  it('has exactly one row per site class × priority', () => {
    expect(rows).toHaveLength(SITE_CLASSES.length * PRIORITIES.length);
    for (const siteClass of SITE_CLASSES) {
      for (const priority of PRIORITIES) {
        expect(rows.filter((r) => r.siteClass === siteClass && r.priority === priority)).toHaveLength(1);
      }
    }
  });

  // [site class, priority, calendar, response, resolution] — business minutes of that calendar.
  it.each<[SlaTargetRow['siteClass'], SlaTargetRow['priority'], string, number, number]>([
    ['hospital', 'P1', '24x7', 15, 240],
    ['hospital', 'P2', '24x7', 30, 480],
    ['hospital', 'P3', '24x7', 120, 3 * 1440],
    ['hospital', 'P4', '24x7', 1440, 10 * 1440],
    ['community_health', 'P1', '24x7', 15, 240],
    ['community_health', 'P2', 'gp_core', 30, 480],
    ['community_health', 'P3', 'gp_core', 120, 1890],
    ['community_health', 'P4', 'gp_core', 630, 6300],
    ['mental_health', 'P1', '24x7', 15, 240],
    ['mental_health', 'P2', '24x7', 30, 480],
    ['mental_health', 'P3', '24x7', 120, 4320],
    ['mental_health', 'P4', '24x7', 1440, 14400],
    ['prison', 'P1', '24x7', 15, 240],
    ['prison', 'P2', '24x7', 30, 480],
    ['prison', 'P3', '24x7', 120, 4320],
    ['prison', 'P4', '24x7', 1440, 14400],
    ['other', 'P1', '24x7', 15, 240],
    ['other', 'P2', 'office', 30, 480],
    ['other', 'P3', 'office', 120, 1440],
    ['other', 'P4', 'office', 480, 4800],
  ])(
    '%s %s → %s, respond %i, resolve %i',
    (siteClass, priority, calendarCode, responseMinutes, resolutionMinutes) => {
      expect(targetFor(rows, siteClass, priority)).toEqual({
        siteClass,
        priority,
        calendarCode,
        responseMinutes,
        resolutionMinutes,
      });
    },
  );

  it('returns a fresh array each call', () => {
    const mine = defaultSlaTargets();
    mine.pop();
    expect(defaultSlaTargets()).toHaveLength(20);
  });
});

describe('targetFor', () => {
  it('finds a row in an admin-edited table', () => {
    const rows: SlaTargetRow[] = [
      {
        siteClass: 'prison',
        priority: 'P2',
        calendarCode: 'office',
        responseMinutes: 60,
        resolutionMinutes: 960,
      },
    ];
    expect(targetFor(rows, 'prison', 'P2').resolutionMinutes).toBe(960);
  });

  it('throws SlaTargetNotFoundError (SLA.TARGET_NOT_FOUND) when the pair is missing', () => {
    expect(() => targetFor([], 'hospital', 'P1')).toThrow(SlaTargetNotFoundError);
    expect(() => targetFor([], 'hospital', 'P1')).toThrow(
      expect.objectContaining({ code: 'SLA.TARGET_NOT_FOUND' }),
    );
  });
});
