import { SMTPServer } from 'smtp-server';
import { canonicalLocalPart, quotedPathCommand } from './domain/smtp-path';

type Connection = SMTPServer['connections'] extends Set<infer C> ? C : never;

/**
 * smtp-server reads `MAIL FROM:<"Some Name"@example.com>` as the address `<"Some` followed by a parameter
 * `Name"@example.com>` and answers 501, though a quoted-string local part is valid RFC 5321 (§4.1.2); so does
 * `RCPT TO`. This server gives every connection an address parser that reads such a path itself
 * (`quotedPathCommand`, checked against the RFC 5321 grammar) and leaves the parameters, the domain and every
 * other path to smtp-server's own parser, so SIZE, BODY, xtext and the rest behave exactly as before.
 */
export class QuotedPathSmtpServer extends SMTPServer {
  override connect(...args: Parameters<SMTPServer['connect']>): void {
    super.connect(...args);
    // The connection super.connect() just made is the newest in the set (a Set keeps insertion order).
    let connection: Connection | undefined;
    for (const c of this.connections) connection = c;
    if (!connection) return;
    const own: Connection['_parseAddressCommand'] = connection._parseAddressCommand.bind(connection);
    connection._parseAddressCommand = (name, command) => {
      const upper = name.trim().toUpperCase();
      const verb = upper === 'MAIL FROM' || upper === 'RCPT TO' ? upper : null;
      const quoted = verb === null ? null : quotedPathCommand(verb, command.toString());
      if (verb === null || quoted === null) return own(name, command);
      if (!quoted.ok) return false;
      const standIn = own(name, `${verb}:<x@${quoted.domain}>${quoted.params ? ` ${quoted.params}` : ''}`);
      if (!standIn || !standIn.address) return false;
      const domain = standIn.address.slice(standIn.address.lastIndexOf('@') + 1);
      return { ...standIn, address: `${canonicalLocalPart(quoted.localPart)}@${domain}` };
    };
  }
}
