import { tabCount } from './tab-count';

describe('tabCount', () => {
  it.each([
    [0, 1000, '0', '0 incidents'],
    [1, 1000, '1', '1 incident'],
    [999, 1000, '999', '999 incidents'],
    [1000, 1000, '1,000', '1,000 incidents'],
    [1001, 1000, '1,000+', 'more than 1,000 incidents'],
    [6, 5, '5+', 'more than 5 incidents'],
  ])('%i counted up to %i shows %s (%s)', (n, limit, text, spoken) => {
    expect(tabCount(n, limit)).toEqual({ text, spoken });
  });
});
