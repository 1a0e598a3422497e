import type { FastifyReply } from 'fastify';
import { layoutModel } from '../console-layout';
import { sendHtml } from '../console-request';
import type { ConsoleViews } from '../console-views';
import type { ActiveSession } from '../sessions/console-sessions.service';
import type { ADMIN_PAGES } from './admin-pages';

export type AdminPage = (typeof ADMIN_PAGES)[number];
export type AdminArea = 'home' | 'intake' | 'users' | 'sites' | 'contacts' | 'sla' | 'queues';

const AREAS: { area: Exclude<AdminArea, 'home'>; href: string; label: string; about: string }[] = [
  {
    area: 'intake',
    href: '/console/admin/intake',
    label: 'Email intake',
    about: 'Every message the desk received and what became of it; failed and refused mail, run again.',
  },
  {
    area: 'users',
    href: '/console/admin/users',
    label: 'Users',
    about: 'Accounts and roles: create, disable, change a role, end someone’s sessions.',
  },
  {
    area: 'sites',
    href: '/console/admin/sites',
    label: 'Sites',
    about: 'The network’s sites, their class, trust and access notes.',
  },
  {
    area: 'contacts',
    href: '/console/admin/contacts',
    label: 'Contacts',
    about: 'The people who report faults, with their usual site.',
  },
  {
    area: 'sla',
    href: '/console/admin/sla',
    label: 'SLA',
    about: 'Targets by site class and priority, business calendars and bank holidays.',
  },
  {
    area: 'queues',
    href: '/console/admin/queues',
    label: 'Queue health',
    about: 'Jobs waiting and failed on each background queue, with retry.',
  },
];

/** The admin area's own navigation, with the current area marked. */
export function adminNav(current: AdminArea): { href: string; label: string; current: boolean }[] {
  return AREAS.map((a) => ({ href: a.href, label: a.label, current: a.area === current }));
}

export const adminAreas = (): typeof AREAS => AREAS;

/** Renders an admin page in the console layout, with the admin navigation. */
export function sendAdminPage(
  views: ConsoleViews,
  res: FastifyReply,
  status: number,
  page: AdminPage,
  session: ActiveSession,
  title: string,
  area: AdminArea,
  model: object,
): void {
  // The layout's own keys (the signed-in user, the form token) win over a page model's.
  sendHtml(
    res,
    status,
    views.render(page, {
      ...model,
      ...layoutModel(session, title, { section: 'admin' }),
      adminNav: adminNav(area),
    }),
  );
}

/** The confirmation for `?done=`: only the words a page knows, never text from the address. */
export function doneMessage(done: unknown, messages: Record<string, string>): string | null {
  return typeof done === 'string' && Object.hasOwn(messages, done) ? messages[done] : null;
}
