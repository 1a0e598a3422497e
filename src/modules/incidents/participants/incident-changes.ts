import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../../common/time/clock';
import type { Actor } from '../../audit/actor';
import type { IncidentFacts } from '../facts/incident-facts';
import type { IncidentChange } from './incident-participant';
import { FollowUps, IncidentParticipants } from './incident-participants';

/** One transaction of changes to incidents: what a workflow method records as it goes. */
export class ChangeTransaction {
  private readonly sets = new Map<
    string,
    { incident: IncidentFacts; actor: Actor; changes: IncidentChange[] }
  >();
  private readonly later: (() => Promise<unknown>)[] = [];

  constructor(
    readonly em: EntityManager,
    /** The desk clock's instant of every change in this transaction. */
    readonly now: Date,
  ) {}

  /** Records a change to this incident (the same object as it stands after the change). */
  changed(incident: IncidentFacts, actor: Actor, change: IncidentChange): void {
    const set = this.sets.get(incident.id);
    if (set) {
      set.incident = incident;
      set.changes.push(change);
    } else this.sets.set(incident.id, { incident, actor, changes: [change] });
  }

  /** Work to do once the transaction has committed (queue a mail, a timer); it must not throw. */
  afterCommit(task: () => Promise<unknown>): void {
    this.later.push(task);
  }

  /** @internal */
  changeSets(): { incident: IncidentFacts; actor: Actor; changes: IncidentChange[] }[] {
    return [...this.sets.values()];
  }

  /** @internal */
  tasks(): readonly (() => Promise<unknown>)[] {
    return this.later;
  }
}

/**
 * Runs a workflow method's changes in one transaction and lets the participants take part: when the method's work
 * is done, still inside the transaction, each participant hears once per incident everything that changed; after
 * the commit, each acts on what it returned, and the method's own after-commit tasks run. Nobody threads a
 * participant's follow-up by hand.
 */
@Injectable()
export class IncidentChanges {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly participants: IncidentParticipants,
    private readonly clock: Clock,
  ) {}

  async run<T>(work: (tx: ChangeTransaction) => Promise<T>): Promise<T> {
    const followUps = new FollowUps();
    let tx: ChangeTransaction | null = null;
    const result = await this.db.transaction(async (em) => {
      tx = new ChangeTransaction(em, this.clock.now());
      const value = await work(tx);
      for (const set of tx.changeSets()) {
        await this.participants.onChange(em, { ...set, at: tx.now }, followUps);
      }
      return value;
    });
    const committed = tx as ChangeTransaction | null;
    await Promise.all([
      this.participants.afterCommit(followUps),
      ...(committed?.tasks() ?? []).map((task) => task()),
    ]);
    return result;
  }
}
