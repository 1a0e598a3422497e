import { barChart, percentLineChart } from './chart-models';

describe('chart models', () => {
  it('draws bars from the baseline in proportion to their values', () => {
    const c = barChart(
      [
        { label: 'a', value: 10 },
        { label: 'b', value: 5 },
        { label: 'c', value: 0 },
      ],
      { width: 300, height: 200 },
    );
    expect(c.baseline).toBe(160);
    const [a, b, z] = c.bars;
    expect(a.y + a.h).toBeCloseTo(160);
    expect(b.h * 2).toBeCloseTo(a.h, 0);
    expect(z.h).toBe(0);
    expect(c.bars.map((x) => x.value)).toEqual(['10', '5', '0']);
  });

  it('leaves a gap in the line where a month has no figure', () => {
    const c = percentLineChart([
      { label: 'Jan', value: 100 },
      { label: 'Feb', value: null },
      { label: 'Mar', value: 50 },
    ]);
    expect(c.path.match(/M/g)).toHaveLength(2);
    expect(c.points.map((p) => p.value)).toEqual(['100%', '50%']);
    expect(c.points[0].y).toBe(12);
  });
});
