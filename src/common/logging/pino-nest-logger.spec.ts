import { Writable } from 'node:stream';
import { createRootLogger } from './pino-nest-logger';

/** A stream that keeps what is written to it. */
function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('createRootLogger', () => {
  it('writes JSON lines by default, with the service fields', () => {
    const out = capture();
    const logger = createRootLogger({ level: 'info', role: 'api' }, out.stream);
    logger.info({ incidentId: 'abc' }, 'Incident created');
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 30,
      msg: 'Incident created',
      incidentId: 'abc',
      service: 'rosedesk',
      role: 'api',
    });
  });

  it('pretty-prints (pino-pretty: level name and message on one readable line, not JSON) when asked', async () => {
    const out = capture();
    const logger = createRootLogger({ level: 'info', role: 'all', format: 'pretty' }, out.stream);
    logger.warn({ incidentId: 'abc' }, 'Incident created');
    await new Promise((r) => setImmediate(r));
    const text = out.text();
    expect(text).toMatch(/WARN.*Incident created/);
    expect(text).toContain('incidentId: "abc"');
    expect(() => JSON.parse(text.split('\n')[0])).toThrow();
  });
});
