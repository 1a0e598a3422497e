import { logFormat } from './log-format';

describe('logFormat', () => {
  it.each([
    [true, 'development', 'pretty'],
    [true, 'test', 'pretty'],
    [true, 'production', 'json'],
    [false, 'development', 'json'],
    [false, 'test', 'json'],
    [false, 'production', 'json'],
  ] as const)('stdout a TTY: %s, NODE_ENV %s -> %s', (stdoutIsTTY, nodeEnv, expected) => {
    expect(logFormat({ stdoutIsTTY, nodeEnv })).toBe(expected);
  });
});
