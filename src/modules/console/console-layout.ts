import { isDeskStaff } from '../users/domain/roles';
import { MANAGER_ROLES } from './console-access';
import { roleLabel } from './domain/labels';
import type { ActiveSession } from './sessions/console-sessions.service';

/** What the layout (header, search, sign-out form, shortcuts) needs of every signed-in page. */
export interface LayoutModel {
  pageTitle: string;
  user: { name: string; role: string; isDesk: boolean; isManager: boolean; canReport: boolean } | null;
  csrfToken: string | null;
  search: string;
  section: 'queues' | 'incident' | 'new-incident' | 'admin' | 'reports' | null;
  /** The page's live event stream (ConsoleLiveController), for console.js's EventSource. */
  live: string | null;
}

export function layoutModel(
  session: ActiveSession | undefined,
  pageTitle: string,
  extra: Partial<Pick<LayoutModel, 'search' | 'section' | 'live'>> = {},
): LayoutModel {
  return {
    pageTitle,
    user: session
      ? {
          name: session.user.name,
          role: roleLabel(session.user.role),
          isDesk: isDeskStaff(session.user),
          isManager: MANAGER_ROLES.includes(session.user.role),
          canReport: [...MANAGER_ROLES, 'trust_manager'].includes(session.user.role),
        }
      : null,
    csrfToken: session?.csrfToken ?? null,
    search: extra.search ?? '',
    section: extra.section ?? null,
    live: extra.live ?? null,
  };
}
