import type { Role } from '../users/user.entity';

/** Who is calling, as carried in the access token. Every scoping decision reads this. */
export interface AuthUser {
  id: string;
  email: string;
  /** Display name, shown as the author on timelines. */
  name: string;
  role: Role;
  trustId: string | null;
  supplierId: string | null;
}
