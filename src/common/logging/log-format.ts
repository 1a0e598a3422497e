export type LogFormat = 'json' | 'pretty';

/**
 * How the process writes its logs. A person watching `npm start` in a terminal (stdout is a TTY, not
 * production) reads pretty-printed lines; everywhere else (pipes, files, containers, production) log
 * collectors read JSON lines.
 */
export function logFormat(facts: { stdoutIsTTY: boolean; nodeEnv: string }): LogFormat {
  return facts.stdoutIsTTY && facts.nodeEnv !== 'production' ? 'pretty' : 'json';
}
