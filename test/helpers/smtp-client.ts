import { connect, type Socket } from 'node:net';

/** One SMTP reply: the code and the text of its last line. */
export interface SmtpReply {
  code: number;
  text: string;
}

export interface SmtpDelivery {
  mailFrom: SmtpReply;
  rcptTo: SmtpReply[];
  /** The reply to DATA (354), then to the end of data (250, 451, 552 ...); null when DATA was never reached. */
  data: SmtpReply | null;
  final: SmtpReply | null;
}

/**
 * A minimal raw SMTP client for tests: speaks exactly what it is told and reports every reply code, so tests
 * can see 250, 451, 550 and 552 for what they are. Sends the message bytes as they are, with bare LF turned
 * into CRLF and dot-stuffing, as every MTA does.
 */
export class RawSmtpClient {
  private buffer = '';
  private waiters: ((reply: SmtpReply) => void)[] = [];
  private replies: SmtpReply[] = [];
  private closed: Error | null = null;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', (err) => (this.closed = err));
    socket.on('close', () => {
      this.closed ??= new Error('connection closed');
      for (const w of this.waiters.splice(0)) w({ code: 0, text: this.closed.message });
    });
  }

  /** `localAddress` picks the client address (any 127.x.y.z on loopback), to be another sender. */
  static async connect(port: number, host = '127.0.0.1', localAddress?: string): Promise<RawSmtpClient> {
    const socket = connect({ port, host, noDelay: true, ...(localAddress ? { localAddress } : {}) });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const client = new RawSmtpClient(socket);
    const greeting = await client.reply();
    if (greeting.code !== 220) throw new Error(`unexpected greeting ${greeting.code} ${greeting.text}`);
    const ehlo = await client.command('EHLO test.example');
    if (ehlo.code !== 250) throw new Error(`EHLO refused: ${ehlo.code}`);
    return client;
  }

  /** One whole transaction: MAIL FROM, every RCPT TO, and DATA when at least one recipient was accepted. */
  async send(from: string, to: readonly string[], raw: Buffer | string): Promise<SmtpDelivery> {
    const mailFrom = await this.command(`MAIL FROM:<${from}>`);
    const rcptTo: SmtpReply[] = [];
    for (const address of to) rcptTo.push(await this.command(`RCPT TO:<${address}>`));
    if (mailFrom.code !== 250 || !rcptTo.some((r) => r.code === 250)) {
      await this.command('RSET');
      return { mailFrom, rcptTo, data: null, final: null };
    }
    const data = await this.command('DATA');
    if (data.code !== 354) return { mailFrom, rcptTo, data, final: null };
    this.socket.write(encodeData(raw));
    const final = await this.reply();
    return { mailFrom, rcptTo, data, final };
  }

  async command(line: string): Promise<SmtpReply> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }

  async quit(): Promise<void> {
    if (!this.closed) await this.command('QUIT').catch(() => undefined);
    this.socket.destroy();
  }

  /** Abruptly drops the connection (no QUIT). */
  destroy(): void {
    this.socket.destroy();
  }

  private reply(): Promise<SmtpReply> {
    const ready = this.replies.shift();
    if (ready) return Promise.resolve(ready);
    if (this.closed) return Promise.resolve({ code: 0, text: this.closed.message });
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\r\n')) >= 0) {
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const match = /^(\d{3})([ -])(.*)$/.exec(line);
      if (!match || match[2] === '-') continue;
      const reply = { code: Number(match[1]), text: match[3] ?? '' };
      const waiter = this.waiters.shift();
      if (waiter) waiter(reply);
      else this.replies.push(reply);
    }
  }
}

/** The DATA payload: CRLF line ends, dot-stuffed, ended by `.`. */
export function encodeData(raw: Buffer | string): Buffer {
  const text = (typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw).toString('latin1');
  const crlf = text.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
  return Buffer.from(`${crlf}${crlf.endsWith('\r\n') ? '' : '\r\n'}.\r\n`, 'latin1');
}

/** Sends one message on a fresh connection and closes it. */
export async function deliver(
  port: number,
  from: string,
  to: readonly string[],
  raw: Buffer | string,
): Promise<SmtpDelivery> {
  const client = await RawSmtpClient.connect(port);
  try {
    return await client.send(from, to, raw);
  } finally {
    await client.quit();
  }
}
