import { scaleBand, scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';

/**
 * Chart geometry for server-drawn SVG (d3-scale for the axes, d3-shape for lines): plain numbers and path strings
 * that a template writes into `<svg>` elements, so charts print and need no script. Every chart also carries its
 * figures as rows, for the text table beside it (screen readers, print).
 */

export interface ChartDatum {
  label: string;
  value: number | null;
}

export interface BarChart {
  width: number;
  height: number;
  bars: {
    x: number;
    y: number;
    w: number;
    h: number;
    label: string;
    value: string;
    labelX: number;
    valueY: number;
  }[];
  ticks: { y: number; label: string }[];
  baseline: number;
  left: number;
  right: number;
}

export interface LineChart {
  width: number;
  height: number;
  path: string;
  points: { x: number; y: number; label: string; value: string }[];
  ticks: { y: number; label: string }[];
  labels: { x: number; label: string }[];
  baseline: number;
  left: number;
  right: number;
}

const MARGIN = { top: 12, right: 12, bottom: 40, left: 44 };

const format = (v: number | null, unit: string): string =>
  v === null ? 'none' : `${Number.isInteger(v) ? v : v.toFixed(1)}${unit}`;

/** Vertical bars, one per datum (null counts as 0), with a linear axis from 0. */
export function barChart(
  data: readonly ChartDatum[],
  opts: { width?: number; height?: number; unit?: string } = {},
): BarChart {
  const width = opts.width ?? 480;
  const height = opts.height ?? 220;
  const unit = opts.unit ?? '';
  const max = Math.max(1, ...data.map((d) => d.value ?? 0));
  const x = scaleBand<string>()
    .domain(data.map((d) => d.label))
    .range([MARGIN.left, width - MARGIN.right])
    .padding(0.25);
  const y = scaleLinear()
    .domain([0, max])
    .nice()
    .range([height - MARGIN.bottom, MARGIN.top]);
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    width,
    height,
    baseline: height - MARGIN.bottom,
    left: MARGIN.left,
    right: width - MARGIN.right,
    ticks: y.ticks(4).map((t) => ({ y: round(y(t)), label: format(t, unit) })),
    bars: data.map((d) => {
      const x0 = x(d.label) ?? 0;
      const top = y(d.value ?? 0);
      return {
        x: round(x0),
        y: round(top),
        w: round(x.bandwidth()),
        h: round(height - MARGIN.bottom - top),
        label: d.label,
        value: format(d.value, unit),
        labelX: round(x0 + x.bandwidth() / 2),
        valueY: round(top - 3),
      };
    }),
  };
}

/** A line over evenly spaced labels on a 0-100 % axis; a null value leaves a gap (d3-shape's `defined`). */
export function percentLineChart(
  data: readonly ChartDatum[],
  opts: { width?: number; height?: number } = {},
): LineChart {
  const width = opts.width ?? 640;
  const height = opts.height ?? 220;
  const x = scaleBand<string>()
    .domain(data.map((d) => d.label))
    .range([MARGIN.left, width - MARGIN.right])
    .padding(0.5);
  const y = scaleLinear()
    .domain([0, 100])
    .range([height - MARGIN.bottom, MARGIN.top]);
  const round = (v: number) => Math.round(v * 10) / 10;
  const px = (d: ChartDatum) => round((x(d.label) ?? 0) + x.bandwidth() / 2);
  const py = (d: ChartDatum) => round(y(d.value ?? 0));
  const path =
    line<ChartDatum>()
      .defined((d) => d.value !== null)
      .x(px)
      .y(py)(data as ChartDatum[]) ?? '';
  return {
    width,
    height,
    path,
    baseline: height - MARGIN.bottom,
    left: MARGIN.left,
    right: width - MARGIN.right,
    ticks: [0, 25, 50, 75, 100].map((t) => ({ y: round(y(t)), label: `${t}%` })),
    labels: data.map((d) => ({ x: px(d), label: d.label })),
    points: data
      .filter((d) => d.value !== null)
      .map((d) => ({ x: px(d), y: py(d), label: d.label, value: format(d.value, '%') })),
  };
}
