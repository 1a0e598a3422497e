import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PgliteWireQueue } from './pglite-wire-queue';

export interface EmbeddedPostgres {
  /** `postgres://` URL of the in-process socket server. */
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * The zero-setup database: PGlite (PostgreSQL compiled to WASM) persisted under `dataDir`, served over the
 * PostgreSQL wire protocol on a loopback port by pglite-socket, so TypeORM and BullMQ's PostgreSQL backend
 * use the same `pg` driver they use against a real server.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const pgDir = join(dataDir, 'pgdata');
  await mkdir(pgDir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create({ dataDir: pgDir });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 64 });
  // Replace the server's message queue (read when each connection attaches) with one that keeps a
  // connection's extended-protocol messages together; see PgliteWireQueue.
  (server as unknown as { queryQueue: PgliteWireQueue }).queryQueue = new PgliteWireQueue(db);
  await server.start();
  let stopped = false;
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`,
    dataDir: pgDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
    },
  };
}
