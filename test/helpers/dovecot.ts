import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestImapServer {
  url: string;
  user: string;
  password: string;
  stop(): void;
}

/**
 * Starts a throwaway dovecot (scripts/dovecot-test.sh: installs dovecot-imapd when missing) on a spare loopback
 * port, synchronously, so a spec can decide at load time whether its IMAP tests run. Returns the reason when
 * it cannot, for the skip message.
 */
export function startTestImapServer(): TestImapServer | { unavailable: string } {
  const dir = join(tmpdir(), `rosedesk-dovecot-${randomBytes(4).toString('hex')}`);
  const port = String(52000 + Math.floor(Math.random() * 8000));
  const env = { ...process.env, DOVECOT_TEST_DIR: dir, DOVECOT_PORT: port };
  try {
    execFileSync('bash', ['scripts/dovecot-test.sh', 'start'], { env, stdio: 'pipe', timeout: 180_000 });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    return { unavailable: (e.stderr?.toString() || e.message).trim().split('\n').slice(-3).join(' | ') };
  }
  return {
    url: `imap://127.0.0.1:${port}`,
    user: 'desk',
    password: 'desk-test-password',
    stop: () => {
      execFileSync('bash', ['scripts/dovecot-test.sh', 'stop'], { env, stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
