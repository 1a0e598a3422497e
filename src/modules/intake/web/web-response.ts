import type { Request, Response } from 'express';

/** Sends a server-rendered page; public pages are never cached (they carry a CSRF token or a reporter's data). */
export function sendPage(res: Response, status: number, html: string): void {
  res.status(status).type('html').set('Cache-Control', 'no-store').send(html);
}

/** The client address as Express sees it (`trust proxy` is set in configureHttp). */
export const clientIp = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';
