import { GroupCommit, type ItemOutcome } from './group-commit';

/** A write the test finishes by hand, so it can see what arrives while a batch is in flight. */
class ManualWrites {
  readonly batches: number[][] = [];
  private readonly finishers: Array<() => void> = [];

  write = (items: number[]): Promise<ItemOutcome<string>[]> => {
    this.batches.push(items);
    return new Promise((resolve, reject) => {
      this.finishers.push(() => {
        if (items.includes(-1)) reject(new Error('statement failed'));
        else
          resolve(
            items.map((n) =>
              n % 2 === 0 ? { ok: true, value: `#${n}` } : { ok: false, error: new Error(`odd ${n}`) },
            ),
          );
      });
    });
  };

  finishNext(): void {
    const finish = this.finishers.shift();
    if (!finish) throw new Error('no write in flight');
    finish();
  }
}

const settle = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('writes an item at once when idle, and groups what arrives while a write is in flight', async () => {
    const writes = new ManualWrites();
    const group = new GroupCommit({ write: writes.write }, { maxBatch: 10, maxConcurrent: 1 });
    const first = group.submit(2);
    const later = [group.submit(4), group.submit(6), group.submit(8)];
    expect(writes.batches).toEqual([[2]]);
    writes.finishNext();
    await expect(first).resolves.toBe('#2');
    await settle();
    expect(writes.batches).toEqual([[2], [4, 6, 8]]);
    writes.finishNext();
    await expect(Promise.all(later)).resolves.toEqual(['#4', '#6', '#8']);
  });

  it('never puts more than maxBatch items in a write, and runs at most maxConcurrent writes', async () => {
    const writes = new ManualWrites();
    const group = new GroupCommit({ write: writes.write }, { maxBatch: 2, maxConcurrent: 2 });
    const all = [0, 2, 4, 6, 8, 10, 12].map((n) => group.submit(n));
    expect(writes.batches).toEqual([[0], [2]]);
    writes.finishNext();
    await settle();
    expect(writes.batches).toEqual([[0], [2], [4, 6]]);
    writes.finishNext();
    writes.finishNext();
    await settle();
    expect(writes.batches).toEqual([[0], [2], [4, 6], [8, 10], [12]]);
    writes.finishNext();
    writes.finishNext();
    await expect(Promise.all(all)).resolves.toEqual(['#0', '#2', '#4', '#6', '#8', '#10', '#12']);
  });

  it('gives each item its own outcome: one failed item does not fail the others', async () => {
    const writes = new ManualWrites();
    const group = new GroupCommit({ write: writes.write }, { maxBatch: 10, maxConcurrent: 1 });
    const busy = group.submit(0);
    const [even, odd] = [group.submit(2), group.submit(3)];
    writes.finishNext();
    await busy;
    await settle();
    writes.finishNext();
    await expect(even).resolves.toBe('#2');
    await expect(odd).rejects.toThrow('odd 3');
  });

  it('fails every item of a batch whose write throws, and goes on with the next batch', async () => {
    const writes = new ManualWrites();
    const group = new GroupCommit({ write: writes.write }, { maxBatch: 10, maxConcurrent: 1 });
    const busy = group.submit(0);
    const doomed = [group.submit(-1), group.submit(2)];
    writes.finishNext();
    await busy;
    await settle();
    writes.finishNext();
    await expect(doomed[0]).rejects.toThrow('statement failed');
    await expect(doomed[1]).rejects.toThrow('statement failed');
    const next = group.submit(4);
    writes.finishNext();
    await expect(next).resolves.toBe('#4');
  });

  it('runs after() with the outcomes before the callers hear them, with the write slot already free', async () => {
    const writes = new ManualWrites();
    const seen: string[] = [];
    let releaseAfter!: () => void;
    const group = new GroupCommit(
      {
        write: writes.write,
        after: async (outcomes) => {
          seen.push(`after ${outcomes.length}`);
          await new Promise<void>((r) => (releaseAfter = r));
        },
      },
      { maxBatch: 10, maxConcurrent: 1 },
    );
    const first = group.submit(2).then((v) => seen.push(`caller ${v}`));
    writes.finishNext();
    await settle();
    expect(seen).toEqual(['after 1']);
    // The slot is free while after() runs: the next item is written at once.
    void group.submit(4);
    expect(writes.batches).toEqual([[2], [4]]);
    releaseAfter();
    await first;
    expect(seen).toEqual(['after 1', 'caller #2']);
  });

  it('still settles the items when after() throws', async () => {
    const writes = new ManualWrites();
    const group = new GroupCommit(
      { write: writes.write, after: () => Promise.reject(new Error('queue down')) },
      { maxBatch: 10, maxConcurrent: 1 },
    );
    const item = group.submit(2);
    writes.finishNext();
    await expect(item).resolves.toBe('#2');
  });
});
