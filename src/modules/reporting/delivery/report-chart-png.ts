import { Resvg } from '@resvg/resvg-js';
import { percentLineChart, type ChartDatum, type LineChart } from '../charts/chart-models';

/** Colours as on the console page; every style is an attribute, as a rasteriser reads no stylesheet. */
const INK = '#1f1f1f';
const LINE = '#1d5fa8';
const GRID = '#d9d9d9';
const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The line chart model (chart-models, the same d3 geometry as the console page) as a self-contained SVG
 * document: no classes, no CSS, a white background, so it rasterises the same anywhere.
 */
export function lineChartSvg(chart: LineChart, title: string): string {
  const { width, height, left, right, baseline } = chart;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="11" fill="${INK}">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...chart.ticks.map(
      (t) =>
        `<line x1="${left}" x2="${right}" y1="${t.y}" y2="${t.y}" stroke="${GRID}" stroke-width="1"/>` +
        `<text x="${left - 4}" y="${t.y + 4}" text-anchor="end">${esc(t.label)}</text>`,
    ),
    `<line x1="${left}" x2="${right}" y1="${baseline}" y2="${baseline}" stroke="${INK}" stroke-width="1"/>`,
    chart.path ? `<path d="${chart.path}" fill="none" stroke="${LINE}" stroke-width="2.5"/>` : '',
    ...chart.points.map((p) => `<circle cx="${p.x}" cy="${p.y}" r="3.5" fill="${LINE}"/>`),
    ...chart.labels.map(
      (l) =>
        `<text x="${l.x}" y="${baseline + 14}" text-anchor="middle" transform="rotate(35 ${l.x} ${baseline})">${esc(l.label)}</text>`,
    ),
    '</svg>',
  ];
  return parts.join('');
}

/** An SVG document as PNG, at twice its size for sharp text on high-density screens. */
export function svgToPng(svg: string): Buffer {
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: '#ffffff',
  }).render();
  return png.asPng();
}

/** The emailed report's chart: resolution SLA met % per month over the last 12 months, as PNG. */
export function monthlyMetChartPng(monthly: readonly ChartDatum[]): Buffer {
  return svgToPng(lineChartSvg(percentLineChart(monthly), 'Resolution SLA met, last 12 months'));
}
