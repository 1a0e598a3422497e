/** The classes of healthcare site; each names the calendar its SLA clocks run on. */
export const SITE_CLASSES = ['hospital', 'community_health', 'mental_health', 'prison', 'other'] as const;
export type SiteClassCode = (typeof SITE_CLASSES)[number];
