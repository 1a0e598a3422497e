import { createServer } from 'node:http';
import { Pool } from 'pg';

/**
 * The raw baseline for `npm run bench:incidents`: plain node:http, JSON.parse and one INSERT of the same
 * incident row with `pg`. No framework, no validation, no timeline, audit or mail. Prints its port.
 */
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL ?? 20) });
const [trustId, siteId, serviceId] = (process.env.IDS ?? '').split(',');

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      summary: string;
      description: string;
      impact: string;
      urgency: string;
      reporter: { name: string; email?: string };
    };
    pool
      .query(
        `INSERT INTO incident (trust_id, site_id, site_class_code, service_id, channel, priority, impact, urgency, summary, description,
           reporter_name, reporter_email, reported_at, version)
         VALUES ($1, $2, 'community_health', $3, 'api', 'P2', $4, $5, $6, $7, $8, $9, now(), 1) RETURNING id, number`,
        [
          trustId,
          siteId,
          serviceId,
          body.impact,
          body.urgency,
          body.summary,
          body.description,
          body.reporter.name,
          body.reporter.email ?? null,
        ],
      )
      .then((r) => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify(r.rows[0]));
      })
      .catch((err: Error) => {
        res.writeHead(500);
        res.end(err.message);
      });
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
