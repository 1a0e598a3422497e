export interface GroupCommitOptions {
  /** Most items in one write. */
  maxBatch: number;
  /** Most writes in flight at once (each holds one database connection). */
  maxConcurrent: number;
}

/** What a write gives back per item, in the items' order: its result, or the error that item alone met. */
export type ItemOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface GroupCommitStages<T, R> {
  /** Writes the items together. Throwing fails every item of the batch with that error. */
  write(items: T[]): Promise<ItemOutcome<R>[]>;
  /**
   * Work after the write that needs no write slot (queueing what the committed rows ask for). It runs before the
   * items' callers hear their outcome, while the next batch may already be writing. It must not throw.
   */
  after?(outcomes: ItemOutcome<R>[]): Promise<void>;
}

interface Waiting<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: callers submit one item each and wait; items that arrive while the writes in flight run are
 * written together by the next one. With no load an item is written at once, alone (no timer, no added wait);
 * under load one statement and one commit serve many items, so the database does less work per item.
 */
export class GroupCommit<T, R> {
  private readonly waiting: Waiting<T, R>[] = [];
  private inFlight = 0;

  constructor(
    private readonly stages: GroupCommitStages<T, R>,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.startWrites();
    });
  }

  private startWrites(): void {
    while (this.inFlight < this.options.maxConcurrent && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.inFlight++;
      void this.run(batch);
    }
  }

  private async run(batch: Waiting<T, R>[]): Promise<void> {
    let outcomes: ItemOutcome<R>[];
    try {
      outcomes = await this.stages.write(batch.map((w) => w.item));
      if (outcomes.length !== batch.length)
        throw new Error(`group commit: ${outcomes.length} outcomes for ${batch.length} items`);
    } catch (error) {
      outcomes = batch.map(() => ({ ok: false, error }));
    } finally {
      this.inFlight--;
      this.startWrites();
    }
    // The items are written whatever `after` does; their callers hear so.
    await this.stages.after?.(outcomes).catch(() => undefined);
    outcomes.forEach((outcome, i) =>
      outcome.ok ? batch[i].resolve(outcome.value) : batch[i].reject(outcome.error),
    );
  }
}
