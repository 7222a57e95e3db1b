import type { ScenarioReport } from './bench-report.ts';

interface Series {
  name: string;
  color: string;
  points: { calls: number; billed: number; peak: number }[];
}

const COLORS = ['#c0392b', '#2471a3', '#239b56', '#b9770e', '#7d3c98'];
const W = 360;
const H = 240;
const PAD = { left: 70, right: 20, top: 30, bottom: 45 };

/**
 * A hand-written SVG (no plotting dependency): billed input and peak context of the whole session against its
 * number of model calls, one line per run (monolithic, then each isolated variant), one point per scenario.
 */
export function renderPlot(reports: readonly ScenarioReport[]): string {
  const byCalls = [...reports].sort((a, b) => a.monolithic.session.calls - b.monolithic.session.calls);
  const series: Series[] = [
    {
      name: 'monolithic',
      color: COLORS[0] ?? '#000',
      points: byCalls.map((r) => ({
        calls: r.monolithic.session.calls,
        billed: r.monolithic.session.billedInput,
        peak: r.monolithic.session.peakInput,
      })),
    },
    ...(byCalls[0]?.variants ?? []).map((v, i) => ({
      name: v.name,
      color: COLORS[(i + 1) % COLORS.length] ?? '#000',
      points: byCalls.flatMap((r) => {
        const s = r.variants.find((x) => x.name === v.name)?.session;
        return s ? [{ calls: s.calls, billed: s.billedInput, peak: s.peakInput }] : [];
      }),
    })),
  ];
  const legend = series
    .map(
      (s, i) =>
        `<rect x="${PAD.left + i * 200}" y="${H + 28}" width="12" height="12" fill="${s.color}"/>` +
        `<text x="${PAD.left + i * 200 + 18}" y="${H + 39}">${escapeXml(s.name)}</text>`,
    )
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H + 50}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    panel(series, 'billed', 'billed input tokens (session)', 0, 0),
    panel(series, 'peak', 'peak context tokens (session)', W, 0),
    `<text x="${PAD.left}" y="${H + 12}">x: model calls in the session. Token counts from the replay tokenizer (see the table).</text>`,
    legend,
    '</svg>',
    '',
  ].join('\n');
}

function panel(series: Series[], key: 'billed' | 'peak', title: string, x0: number, y0: number): string {
  const all = series.flatMap((s) => s.points);
  const maxX = Math.max(1, ...all.map((p) => p.calls));
  const maxY = Math.max(1, ...all.map((p) => p[key]));
  const sx = (v: number) => x0 + PAD.left + (v / maxX) * (W - PAD.left - PAD.right);
  const sy = (v: number) => y0 + H - PAD.bottom - (v / maxY) * (H - PAD.top - PAD.bottom);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = f * maxY;
    return `<line x1="${sx(0)}" x2="${sx(maxX)}" y1="${sy(v)}" y2="${sy(v)}" stroke="#ddd"/><text x="${sx(0) - 6}" y="${sy(v) + 4}" text-anchor="end">${Math.round(v).toLocaleString('en-US')}</text>`;
  });
  const xTicks = [0, 0.5, 1].map(
    (f) => `<text x="${sx(f * maxX)}" y="${sy(0) + 16}" text-anchor="middle">${Math.round(f * maxX)}</text>`,
  );
  const lines = series.map(
    (s) =>
      `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${s.points.map((p) => `${sx(p.calls).toFixed(1)},${sy(p[key]).toFixed(1)}`).join(' ')}"/>` +
      s.points
        .map(
          (p) =>
            `<circle cx="${sx(p.calls).toFixed(1)}" cy="${sy(p[key]).toFixed(1)}" r="3" fill="${s.color}"/>`,
        )
        .join(''),
  );
  return [
    `<g>`,
    `<text x="${x0 + PAD.left}" y="${y0 + 18}" font-weight="bold">${escapeXml(title)}</text>`,
    ...ticks,
    ...xTicks,
    `<line x1="${sx(0)}" x2="${sx(maxX)}" y1="${sy(0)}" y2="${sy(0)}" stroke="#333"/>`,
    ...lines,
    `</g>`,
  ].join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
