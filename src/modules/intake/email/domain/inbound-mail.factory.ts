import { InboundMail } from './inbound-mail';

/** Test helper: a plain human message, with any field overridden. Header names are lower-cased. */
export function buildInboundMail(
  overrides: Partial<Omit<InboundMail, 'headers'>> & { headers?: Record<string, string | string[]> } = {},
): InboundMail {
  const { headers = {}, ...rest } = overrides;
  return {
    messageId: 'abc123@mail.example.nhs.uk',
    inReplyTo: [],
    references: [],
    from: { address: 'jane.smith@example.nhs.uk', name: 'Jane Smith' },
    to: ['servicedesk@rosedesk.local'],
    cc: [],
    replyTo: [],
    subject: 'Wireless down in the outpatients block',
    date: new Date('2011-06-01T09:00:00Z'),
    text: 'Hello,\n\nThe wireless is down in outpatients.\n\nJane',
    html: null,
    contentType: 'text/plain; charset=utf-8',
    attachments: [],
    ...rest,
    headers: new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
  };
}
