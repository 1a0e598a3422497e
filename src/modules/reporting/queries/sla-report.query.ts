import type { EntityManager } from 'typeorm';
import { supplierClocksSql, supplierHoldsSql } from '../../escalation/escalation-sql';
import { openIncidentIdsSql, reportIncidentsSql } from '../../incidents/incident-sql';
import { statusHistorySql } from '../../incidents/timeline/status-history';
import { clockStateSql } from './clock-state';
import type { ReportAggregates } from '../domain/sla-report';
import { businessMinutesSql, slaClocksSql } from '../../sla/sla-report-sql';

/**
 * The SLA report in one statement: every figure is an aggregate over the period's incidents (never the incidents
 * themselves), so a month or a year costs one round trip whatever its size.
 *
 * Parameters: $1 period start, $2 period end (exclusive), $3 the instant the report is as of (running clocks are
 * measured to it), $4 a trust id or null (all trusts), then the caller's IncidentScope parameters from $5.
 *
 * Who held the clock: for each clock, its window is [started_at, stopped_at or $3). Inside it the caller holds
 * the stretches in `awaiting_caller` (the clock is paused there), nobody holds the stretches in a resolved,
 * closed or cancelled status (a reopened incident's clock stood still), each supplier holds the rest of the time
 * its escalation was open (supplierHoldsSql; overlapping escalations count for each supplier), and the desk the
 * rest. Each stretch is measured in business minutes of the clock's calendar (sla_open_period).
 *
 * A breach's minutes over: a met clock's elapsed business time as the SLA engine stored it, a running clock's
 * measured to $3 here.
 *
 * The backlog is taken at the period's end, or at $3 when the period has not ended yet: incidents reported by then
 * whose status then was not resolved, closed or cancelled, aged by elapsed time.
 */
export function slaReportSql(scopeSql: string): string {
  const minutes = (ranges: string) => businessMinutesSql('w.calendar_code', ranges);
  return `
WITH inc AS MATERIALIZED (
  SELECT i.* FROM (${reportIncidentsSql()}) i
  WHERE i.reported_at >= $1 AND i.reported_at < $2 AND ($4::uuid IS NULL OR i.trust_id = $4::uuid) AND ${scopeSql}
),
clk AS MATERIALIZED (
  SELECT c.*, ${clockStateSql('c', '$3')} AS state
  FROM inc i0 CROSS JOIN LATERAL (SELECT * FROM (${slaClocksSql()}) c0 WHERE c0.incident_id = i0.id) c
),
hist AS MATERIALIZED (
  SELECT inc.id AS incident_id, h.ord, h.e->>'status' AS status, (h.e->>'at')::timestamptz AS at
  FROM inc CROSS JOIN LATERAL json_array_elements(${statusHistorySql('inc.id')}) WITH ORDINALITY AS h(e, ord)
),
seg AS MATERIALIZED (
  SELECT incident_id, status, lag(status) OVER w AS prev_status, tstzrange(at, lead(at) OVER w, '[)') AS r
  FROM hist WINDOW w AS (PARTITION BY incident_id ORDER BY at, ord)
),
segs AS MATERIALIZED (
  SELECT incident_id,
    coalesce(range_agg(r) FILTER (WHERE status = 'awaiting_caller'), '{}'::tstzmultirange) AS caller,
    coalesce(range_agg(r) FILTER (WHERE status IN ('resolved', 'closed', 'cancelled')), '{}'::tstzmultirange) AS still,
    bool_or(status = 'resolved') AS ever_resolved,
    bool_or(prev_status = 'resolved' AND status NOT IN ('resolved', 'closed', 'cancelled')) AS reopened
  FROM seg GROUP BY incident_id
),
holds AS MATERIALIZED (
  SELECT h.incident_id, h.supplier_code,
    range_agg(tstzrange(h.held_from, greatest(h.held_from, coalesce(h.held_until, 'infinity')), '[)')) AS held
  FROM inc i0 CROSS JOIN LATERAL (SELECT * FROM (${supplierHoldsSql()}) h0 WHERE h0.incident_id = i0.id) h
  GROUP BY h.incident_id, h.supplier_code
),
win AS MATERIALIZED (
  SELECT c.incident_id, c.target, c.calendar_code,
    tstzmultirange(tstzrange(c.started_at, greatest(c.started_at, least(coalesce(c.stopped_at, $3), $3)), '[)')) AS whole,
    coalesce(s.caller, '{}'::tstzmultirange) AS caller, coalesce(s.still, '{}'::tstzmultirange) AS still,
    coalesce(a.held, '{}'::tstzmultirange) AS any_supplier
  FROM clk c LEFT JOIN segs s ON s.incident_id = c.incident_id
    LEFT JOIN (SELECT incident_id, range_agg(held) AS held FROM holds GROUP BY incident_id) a ON a.incident_id = c.incident_id
),
holder AS MATERIALIZED (
  SELECT w.incident_id, w.target, 'desk' AS holder, ${minutes('((w.whole - w.caller - w.still) - w.any_supplier)')} AS minutes FROM win w
  UNION ALL
  SELECT w.incident_id, w.target, 'caller', ${minutes('(w.whole * w.caller)')} FROM win w
  UNION ALL
  SELECT w.incident_id, w.target, 'supplier:' || hh.supplier_code, ${minutes('((w.whole - w.caller - w.still) * hh.held)')}
  FROM win w JOIN holds hh ON hh.incident_id = w.incident_id
),
held_by AS (
  SELECT incident_id, target, (array_agg(holder ORDER BY minutes DESC, holder <> 'desk', holder))[1] AS held_by
  FROM holder GROUP BY incident_id, target
),
breached AS (
  SELECT c.incident_id, c.target, c.target_minutes,
    CASE WHEN c.met_at IS NOT NULL THEN c.elapsed_ms / 60000.0 ELSE ${minutes('(w.whole - w.caller - w.still)')} END AS used
  FROM clk c JOIN win w ON w.incident_id = c.incident_id AND w.target = c.target WHERE c.state = 'breached'
),
per AS MATERIALIZED (
  SELECT inc.id, inc.priority, inc.site_class,
    rs.state AS resp_state, CASE WHEN rs.met_at IS NOT NULL THEN rs.elapsed_ms / 60000.0 END AS resp_min,
    rv.state AS res_state, CASE WHEN rv.met_at IS NOT NULL THEN rv.elapsed_ms / 60000.0 END AS res_min
  FROM inc LEFT JOIN clk rs ON rs.incident_id = inc.id AND rs.target = 'response'
    LEFT JOIN clk rv ON rv.incident_id = inc.id AND rv.target = 'resolution'
),
grp AS (
  SELECT CASE WHEN GROUPING(priority) = 0 THEN 'priority' ELSE 'siteClass' END AS dim,
    coalesce(priority, site_class) AS key, count(*) AS total,
    count(*) FILTER (WHERE resp_state = 'met') AS resp_met, count(*) FILTER (WHERE resp_state = 'breached') AS resp_breached,
    count(*) FILTER (WHERE resp_state = 'open') AS resp_open,
    count(*) FILTER (WHERE res_state = 'met') AS res_met, count(*) FILTER (WHERE res_state = 'breached') AS res_breached,
    count(*) FILTER (WHERE res_state = 'open') AS res_open,
    avg(resp_min) AS resp_mean, percentile_cont(0.5) WITHIN GROUP (ORDER BY resp_min) AS resp_median,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY resp_min) AS resp_p90,
    avg(res_min) AS res_mean, percentile_cont(0.5) WITHIN GROUP (ORDER BY res_min) AS res_median,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY res_min) AS res_p90
  FROM per GROUP BY GROUPING SETS ((priority), (site_class))
),
backlog_candidates AS (
  -- Open at the end means: still open now (its status), or its resolution clock stopped after the end.
  SELECT id FROM (${openIncidentIdsSql()}) o
  UNION
  SELECT c.incident_id FROM (${slaClocksSql()}) c WHERE c.target = 'resolution' AND c.stopped_at >= least($2, $3)
),
backlog AS (
  SELECT least($2, $3) - i.reported_at AS age
  FROM backlog_candidates b JOIN (${reportIncidentsSql()}) i ON i.id = b.id
  WHERE i.reported_at < least($2, $3) AND ($4::uuid IS NULL OR i.trust_id = $4::uuid) AND ${scopeSql}
    AND coalesce((SELECT h->>'status' FROM json_array_elements(${statusHistorySql('i.id')}) h
                  WHERE (h->>'at')::timestamptz < least($2, $3) ORDER BY (h->>'at')::timestamptz DESC LIMIT 1), 'new')
        NOT IN ('resolved', 'closed', 'cancelled')
)
SELECT json_build_object(
  'total', (SELECT count(*) FROM inc),
  'groups', (SELECT coalesce(json_agg(g), '[]') FROM grp g),
  'byChannel', (SELECT coalesce(json_object_agg(channel, n), '{}') FROM (SELECT channel, count(*) AS n FROM inc GROUP BY channel) x),
  'byService', (SELECT coalesce(json_object_agg(service_code, n), '{}') FROM (SELECT service_code, count(*) AS n FROM inc GROUP BY service_code) x),
  'topSites', (SELECT coalesce(json_agg(x), '[]') FROM (
      SELECT site_code AS code, site_name AS name, count(*) AS incidents FROM inc
      GROUP BY site_code, site_name ORDER BY count(*) DESC, site_code LIMIT 10) x),
  'backlog', (SELECT json_build_object('open', count(*),
      'd0_1', count(*) FILTER (WHERE age < interval '1 day'),
      'd1_3', count(*) FILTER (WHERE age >= interval '1 day' AND age < interval '3 days'),
      'd3_7', count(*) FILTER (WHERE age >= interval '3 days' AND age < interval '7 days'),
      'd7_30', count(*) FILTER (WHERE age >= interval '7 days' AND age < interval '30 days'),
      'd30', count(*) FILTER (WHERE age >= interval '30 days')) FROM backlog),
  'holders', (SELECT coalesce(json_agg(x), '[]') FROM (
      SELECT holder, sum(minutes) AS minutes FROM holder WHERE target = 'resolution' GROUP BY holder ORDER BY holder) x),
  'breaches', (SELECT coalesce(json_agg(x ORDER BY x.reference, x.target), '[]') FROM (
      SELECT inc.reference, inc.site_code AS "siteCode", inc.site_name AS site, inc.priority, b.target,
        b.target_minutes AS "targetMinutes", b.used - b.target_minutes AS "minutesOver", hb.held_by AS "heldBy"
      FROM breached b JOIN inc ON inc.id = b.incident_id
        LEFT JOIN held_by hb ON hb.incident_id = b.incident_id AND hb.target = b.target) x),
  'reopen', (SELECT json_build_object('resolved', count(*) FILTER (WHERE ever_resolved), 'reopened', count(*) FILTER (WHERE reopened)) FROM segs),
  'supplierEscalations', (SELECT coalesce(json_agg(x), '[]') FROM (
      SELECT h.supplier_code AS supplier, inc.priority, count(*) AS escalations
      FROM (${supplierHoldsSql()}) h JOIN inc ON inc.id = h.incident_id GROUP BY 1, 2) x),
  'supplierClocks', (SELECT coalesce(json_agg(x), '[]') FROM (
      SELECT k.supplier_code AS supplier, k.priority, k.target,
        count(*) FILTER (WHERE k.met_at IS NOT NULL AND NOT coalesce(k.breached, false)) AS met,
        count(*) FILTER (WHERE coalesce(k.breached, false)) AS breached
      FROM (${supplierClocksSql()}) k JOIN inc ON inc.id = k.incident_id GROUP BY 1, 2, 3) x)
) AS report`;
}

export async function runSlaReport(
  em: EntityManager,
  scope: { sql: string; params: unknown[] },
  period: { start: Date; end: Date; asOf: Date; trustId: string | null },
): Promise<ReportAggregates> {
  // One statement of many small parts: PostgreSQL's JIT would spend seconds compiling it for milliseconds of work.
  return em.transaction(async (tx) => {
    await tx.query('SET LOCAL jit = off');
    const [row] = await tx.query<{ report: ReportAggregates }[]>(slaReportSql(scope.sql), [
      period.start,
      period.end,
      period.asOf,
      period.trustId,
      ...scope.params,
    ]);
    return row.report;
  });
}
