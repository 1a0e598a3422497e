import type { SendMailOptions } from 'nodemailer';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * A file carried by an outbound mail. With `contentId` it is an inline part (an image the HTML shows as
 * `cid:{contentId}`); without, an ordinary attachment.
 */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
  contentId?: string;
}

/** One mail's attachments at most, and their total size: a runaway caller fails its transaction, not the relay. */
export const MAX_ATTACHMENTS = 10;
export const MAX_ATTACHMENT_BYTES = 15 * 1024 * 1024;

/**
 * Stores a mail's attachments in `outbound_attachment`, in the transaction that writes the `outbound_message` row,
 * so the message and its files exist together; every send attempt reads the same bytes.
 */
export async function insertAttachments(
  em: EntityManager,
  outboundMessageId: string,
  attachments: readonly MailAttachment[],
): Promise<void> {
  if (attachments.length === 0) return;
  if (attachments.length > MAX_ATTACHMENTS)
    throw new Error(`A mail carries at most ${MAX_ATTACHMENTS} files`);
  const total = attachments.reduce((n, a) => n + a.content.length, 0);
  if (total > MAX_ATTACHMENT_BYTES)
    throw new Error(`A mail's files come to at most ${MAX_ATTACHMENT_BYTES} bytes`);
  for (const [position, a] of attachments.entries()) {
    await em.query(
      `INSERT INTO outbound_attachment (outbound_message_id, position, filename, content_type, content_id, content)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [outboundMessageId, position, a.filename, a.contentType, a.contentId ?? null, a.content],
    );
  }
}

/** A mail's attachments as nodemailer takes them, in the order they were queued (none: an empty list). */
export async function loadAttachments(
  db: DataSource,
  outboundMessageId: string,
): Promise<NonNullable<SendMailOptions['attachments']>> {
  const rows = await db.query<
    { filename: string; content_type: string; content_id: string | null; content: Buffer }[]
  >(
    `SELECT filename, content_type, content_id, content FROM outbound_attachment
     WHERE outbound_message_id = $1 ORDER BY position`,
    [outboundMessageId],
  );
  return rows.map((r) => ({
    filename: r.filename,
    contentType: r.content_type,
    content: r.content,
    ...(r.content_id ? { cid: r.content_id, contentDisposition: 'inline' as const } : {}),
  }));
}
