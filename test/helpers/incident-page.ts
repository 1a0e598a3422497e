import { createIncident, incidentBody, incidentWorld } from '../factories/incident.factory';
import { signedInUser, TEST_PASSWORD, type SignedInUser } from '../factories/user.factory';
import { ConsoleClient } from './console-client';
import type { TestApp } from './test-app';

/** The value of a page's first hidden input named `name` (the forms' `version` and `seen`), or ''. */
export const hiddenField = (html: string, name: string): string =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

/** The public replies stored on an incident, oldest first. */
export async function publicReplies(t: TestApp, reference: string): Promise<string[]> {
  const rows = await t.db.query<{ body: string }[]>(
    `SELECT e.body FROM incident_event e JOIN incident i ON i.id = e.incident_id
      WHERE i.number = $1 AND e.kind = 'public_reply' ORDER BY e.id`,
    [Number(reference.slice(4))],
  );
  return rows.map((r) => r.body);
}

/** A new incident logged by `creator`, and a fresh agent signed in to the console with its page open. */
export async function openIncidentPage(
  t: TestApp,
  creator: SignedInUser,
): Promise<{ c: ConsoleClient; reference: string; page: string }> {
  const world = await incidentWorld(t);
  const { reference } = await createIncident(t, creator.auth, incidentBody(world.site, world.service));
  const agent = await signedInUser(t, 'agent');
  const c = new ConsoleClient(t);
  expect((await c.signIn(agent.user.email, TEST_PASSWORD)).status).toBe(303);
  const page = await c.get(`/console/incidents/${reference}`);
  expect(page.status).toBe(200);
  return { c, reference, page: page.text };
}
