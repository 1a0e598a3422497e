import { percentLineChart } from '../charts/chart-models';
import { lineChartSvg, monthlyMetChartPng } from './report-chart-png';

describe('the emailed chart', () => {
  const months = [
    { label: '2027-01', value: 80 },
    { label: '2027-02', value: null },
    { label: '2027-03', value: 92.5 },
  ];

  it('is a self-contained SVG: styles as attributes, labels escaped, a gap for a month with none decided', () => {
    const svg = lineChartSvg(percentLineChart(months), 'Met <& "quoted">');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).not.toContain('class=');
    expect(svg).toContain('<title>Met &lt;&amp; &quot;quoted&quot;&gt;</title>');
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(svg).toContain('>2027-02</text>');
  });

  it('rasterises to a PNG twice the chart size', () => {
    const png = monthlyMetChartPng(months);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const chart = percentLineChart(months);
    // IHDR: width and height as 32-bit big-endian at bytes 16 and 20.
    expect(png.readUInt32BE(16)).toBe(chart.width * 2);
    expect(png.readUInt32BE(20)).toBe(chart.height * 2);
  });
});
