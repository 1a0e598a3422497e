import { request, type ClientRequest, type IncomingMessage } from 'node:http';

export interface SseEvent {
  event: string;
  data: unknown;
}

/** A server-sent event stream read as a browser's EventSource would: every event kept, in order. */
export class SseReader {
  readonly events: SseEvent[] = [];
  status = 0;
  private req: ClientRequest | null = null;
  private buffer = '';

  /** Opens the stream; resolves with the response once its head has arrived. */
  open(url: string, headers: Record<string, string>): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      this.req = request(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
        this.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => this.read(chunk));
        res.on('error', () => undefined);
        resolve(res);
      });
      this.req.on('error', reject);
      this.req.end();
    });
  }

  close(): void {
    this.req?.destroy();
  }

  /** Events of this name so far. */
  named(event: string): unknown[] {
    return this.events.filter((e) => e.event === event).map((e) => e.data);
  }

  private read(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) !== -1) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length > 0) this.events.push({ event, data: JSON.parse(data.join('\n')) as unknown });
    }
  }
}
