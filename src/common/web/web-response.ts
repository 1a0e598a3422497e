import type { FastifyReply, FastifyRequest } from 'fastify';

/** Sends a server-rendered page; public pages are never cached (they carry a CSRF token or a reporter's data). */
export function sendPage(reply: FastifyReply, status: number, html: string): void {
  void reply.status(status).type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(html);
}

/** The client address (X-Forwarded-For is believed only from a proxy on this host: see createHttpAdapter). */
export const clientIp = (req: FastifyRequest): string => req.ip;
