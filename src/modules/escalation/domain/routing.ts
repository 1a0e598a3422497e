/** Routing rules: which supplier an incident goes to, and whether automatically. Pure. */

export interface RouteRule {
  readonly id: string;
  readonly serviceId: string;
  readonly siteClass: string | null;
  readonly priority: string | null;
  readonly supplierId: string;
  readonly autoEscalate: boolean;
}

export interface RoutedIncident {
  readonly serviceId: string;
  readonly siteClassCode: string;
  readonly priority: string;
}

/**
 * The rule for an incident: among the rules of its service whose site class and priority (when set) match, the most
 * specific (both set beats priority only beats site class only beats neither); null when none matches.
 */
export function pickRoute<R extends RouteRule>(rules: readonly R[], incident: RoutedIncident): R | null {
  let best: R | null = null;
  let bestScore = -1;
  for (const rule of rules) {
    if (rule.serviceId !== incident.serviceId) continue;
    if (rule.siteClass !== null && rule.siteClass !== incident.siteClassCode) continue;
    if (rule.priority !== null && rule.priority !== incident.priority) continue;
    const score = (rule.priority !== null ? 2 : 0) + (rule.siteClass !== null ? 1 : 0);
    if (score > bestScore) {
      best = rule;
      bestScore = score;
    }
  }
  return best;
}
