import { Injectable, Logger } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import { errorText } from '../../../common/errors/error-text';
import {
  IncidentParticipantProvider,
  type CreateParticipation,
  type IncidentChangeSet,
  type IncidentExtensions,
  type IncidentParticipant,
  type ListFilter,
  type ListSort,
} from './incident-participant';

export type CreatingParticipant = IncidentParticipant & { create: CreateParticipation<unknown> };

/** Follow-ups participants returned in one transaction, handed back to each once it has committed. */
export class FollowUps {
  private readonly byParticipant = new Map<IncidentParticipant, unknown[]>();

  add(participant: IncidentParticipant, followUp: unknown): void {
    if (followUp === null || followUp === undefined) return;
    const list = this.byParticipant.get(participant);
    if (list) list.push(followUp);
    else this.byParticipant.set(participant, [followUp]);
  }

  entries(): IterableIterator<[IncidentParticipant, unknown[]]> {
    return this.byParticipant.entries();
  }
}

/**
 * The modules taking part in incidents (IncidentParticipant), found once among the app's providers, in name order,
 * and the calls incidents makes to them. Incidents knows them only through this.
 */
@Injectable()
export class IncidentParticipants {
  private readonly logger = new Logger('IncidentParticipants');
  private found: readonly IncidentParticipant[] | null = null;

  constructor(private readonly discovery: DiscoveryService) {}

  /** Every participant (found on first use, once every provider exists). */
  get all(): readonly IncidentParticipant[] {
    if (!this.found) {
      const participants = this.discovery
        .getProviders({ metadataKey: IncidentParticipantProvider.KEY })
        .map((wrapper) => wrapper.instance as IncidentParticipant)
        .filter((p): p is IncidentParticipant => typeof p?.name === 'string')
        .sort((a, b) => a.name.localeCompare(b.name));
      const names = participants.map((p) => p.name);
      const twice = names.find((n, i) => names.indexOf(n) !== i);
      if (twice) throw new Error(`Two incident participants are named "${twice}"`);
      this.found = participants;
    }
    return this.found;
  }

  /** Those with a share of the create statement. */
  get creating(): readonly CreatingParticipant[] {
    return this.all.filter((p): p is CreatingParticipant => p.create !== undefined);
  }

  /** Inside the transaction: every participant reacts to what one workflow method changed. */
  async onChange(em: EntityManager, change: IncidentChangeSet, into: FollowUps): Promise<void> {
    for (const participant of this.all) {
      if (participant.onChange) into.add(participant, await participant.onChange(em, change));
    }
  }

  /** After the commit: each participant acts on its follow-ups. Never throws (what failed is logged). */
  async afterCommit(followUps: FollowUps): Promise<void> {
    await Promise.all(
      [...followUps.entries()].map(async ([participant, list]) => {
        try {
          await participant.afterCommit?.(list);
        } catch (err) {
          this.logger.error(
            { participant: participant.name, err: errorText(err) },
            'An incident participant failed after commit; its sweeper catches up',
          );
        }
      }),
    );
  }

  /** The participants' SQL columns for incidents aliased `alias`, as `[participant, expression]`. */
  viewColumns(alias: string): { participant: IncidentParticipant; sql: string }[] {
    return this.all.flatMap((p) => (p.view ? [{ participant: p, sql: p.view.column(alias) }] : []));
  }

  /**
   * Every participant's block for each incident, from the raw values its column read, per participant (in the
   * order of viewColumns).
   */
  async blocks(
    raws: readonly ReadonlyMap<string, unknown>[],
  ): Promise<Map<string, Partial<IncidentExtensions>>> {
    const viewing = this.all.filter((p) => p.view);
    const out = new Map<string, Partial<IncidentExtensions>>();
    const parts = await Promise.all(viewing.map((p, k) => p.view!.present(raws[k] ?? new Map())));
    for (const part of parts) {
      for (const [id, block] of part) out.set(id, { ...out.get(id), ...block });
    }
    return out;
  }

  /** The list filter a participant owns under this query parameter. */
  filter(parameter: string): ListFilter {
    for (const p of this.all) {
      const filter = p.listFilters?.[parameter];
      if (filter) return filter;
    }
    throw new Error(`No incident participant filters on "${parameter}"`);
  }

  /** The list order a participant owns under this sort name. */
  sort(name: string): ListSort {
    for (const p of this.all) {
      const sort = p.listSorts?.[name];
      if (sort) return sort;
    }
    throw new Error(`No incident participant sorts by "${name}"`);
  }

  /** Incidents a supplier user may see: any participant's condition (none: nothing). */
  supplierScope(incidentAlias: string, supplierId: string): string {
    const conditions = this.all.flatMap((p) =>
      p.supplierScope ? [`(${p.supplierScope(incidentAlias, supplierId)})`] : [],
    );
    return conditions.length > 0 ? conditions.join(' OR ') : 'false';
  }
}
