/** The desk managers' and administrators' pages (templates/console/admin). */
export const ADMIN_PAGES = [
  'admin/home',
  'admin/intake',
  'admin/intake-message',
  'admin/users',
  'admin/user',
  'admin/user-new',
  'admin/sites',
  'admin/site',
  'admin/contacts',
  'admin/contact',
  'admin/sla-policies',
  'admin/sla-calendars',
  'admin/sla-calendar',
  'admin/sla-holidays',
  'admin/queues',
] as const;
