import { createRequire } from 'node:module';
import { TIME_DIMENSIONS } from '../domain/insights/metrics.ts';
import type { MetricAnswer } from '../domain/insights/query.ts';
import type { WeekInBusiness } from '../domain/insights/week.ts';
import { metricTitle } from './insights-answer.ts';

/**
 * A metric answer drawn as a PNG for a phone screen: a time series as columns, a ranking as bars, a
 * comparison as its two periods side by side. ECharts draws the SVG on the server (no browser) and resvg
 * turns it into pixels with the Noto fonts bundled from npm (Latin, Devanagari and ₹), so nothing is fetched
 * and nothing depends on the machine's fonts. Both libraries load on the first chart, not at start.
 */

const WIDTH = 800;
const HEIGHT = 500;
/** Pixels per SVG unit: sharp on a phone's dense screen. */
const SCALE = 1.5;
const MAX_BARS = 12;

const require = createRequire(import.meta.url);
const FONT_FILES = [
  '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
  '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
  '@expo-google-fonts/noto-sans-devanagari/400Regular/NotoSansDevanagari_400Regular.ttf',
  '@expo-google-fonts/noto-sans-devanagari/700Bold/NotoSansDevanagari_700Bold.ttf',
].map((f) => require.resolve(f));
const FONT = "'Noto Sans', 'Noto Sans Devanagari'";

/** ₹ in the short Indian way for an axis: ₹850, ₹12K, ₹4.5L, ₹2.1Cr. */
export function shortRupees(paise: number): string {
  const r = paise / 100;
  const a = Math.abs(r);
  const cut = (n: number) => String(Math.round(n * 10) / 10);
  if (a >= 1_00_00_000) return `₹${cut(r / 1_00_00_000)}Cr`;
  if (a >= 1_00_000) return `₹${cut(r / 1_00_000)}L`;
  if (a >= 1000) return `₹${cut(r / 1000)}K`;
  return `₹${Math.round(r)}`;
}

interface Bars {
  labels: string[];
  values: number[];
  horizontal: boolean;
}

const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A time's label short enough for a column: "Apr ’25", "25 Mar", "Q1 FY25-26". */
function shortTime(key: string): string {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (day) return `${Number(day[3])} ${SHORT_MONTHS[Number(day[2]) - 1]}`;
  const month = /^(\d{4})-(\d{2})$/.exec(key);
  if (month) return `${SHORT_MONTHS[Number(month[2]) - 1]} ’${month[1]?.slice(2)}`;
  const quarter = /^FY(\d{4})-(\d{2}) (Q\d)$/.exec(key);
  if (quarter) return `${quarter[3]} FY${quarter[1]?.slice(2)}-${quarter[2]}`;
  return key;
}

/** What of the answer is worth a picture; none for a single number. */
function barsOf(a: MetricAnswer): Bars | undefined {
  if (a.rows && a.rows.length > 1 && a.group_by) {
    const rows = a.rows.slice(0, MAX_BARS);
    const time = TIME_DIMENSIONS.has(a.group_by);
    // A ranking reads from the top: the first row is drawn last, at the top of the bars.
    const ordered = time ? rows : [...rows].reverse();
    return {
      labels: ordered.map((r) => (time ? shortTime(r.key) : r.label)),
      values: ordered.map((r) => r.value),
      horizontal: !time,
    };
  }
  if (a.compare) {
    return {
      labels: [a.compare.period.label, a.period.label],
      values: [a.compare.value, a.value],
      horizontal: false,
    };
  }
  return undefined;
}

/** Whether this answer has a chart. */
export const hasChart = (a: MetricAnswer): boolean => barsOf(a) !== undefined;

/** What every chart shares: a white page in the bundled fonts, its title and subtitle top left, no animation. */
const frame = (title: string, subtitle: string) => ({
  animation: false,
  backgroundColor: '#ffffff',
  textStyle: { fontFamily: FONT },
  title: {
    text: title,
    subtext: subtitle,
    left: 24,
    top: 16,
    textStyle: { fontSize: 22, fontWeight: 'bold', color: '#1a1a1a' },
    subtextStyle: { fontSize: 15, color: '#666' },
  },
});

/** The answer as a PNG, or undefined when it is one number (the words say it better). */
export async function renderChart(a: MetricAnswer): Promise<Buffer | undefined> {
  const bars = barsOf(a);
  if (!bars) return undefined;
  const echarts = await import('echarts');
  const money = a.unit === 'money';
  const format = (v: number) => (money ? shortRupees(v) : v.toLocaleString('en-IN'));
  const category = {
    type: 'category' as const,
    data: bars.labels,
    axisLabel: {
      fontSize: 14,
      color: '#333',
      interval: 0,
      width: bars.horizontal ? 180 : 90,
      overflow: 'truncate' as const,
    },
  };
  const value = { type: 'value' as const, axisLabel: { fontSize: 13, color: '#555', formatter: format } };
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  chart.setOption({
    ...frame(metricTitle(a.metric), a.kind === 'balance' ? 'today' : a.period.label),
    grid: { left: bars.horizontal ? 200 : 80, right: 40, top: 96, bottom: 64 },
    xAxis: bars.horizontal ? value : category,
    yAxis: bars.horizontal ? category : value,
    series: [
      {
        type: 'bar',
        data: bars.values,
        barMaxWidth: 56,
        itemStyle: { color: '#1f7a5a', borderRadius: bars.horizontal ? [0, 4, 4, 0] : [4, 4, 0, 0] },
        label: {
          show: bars.values.length <= 8,
          position: bars.horizontal ? 'right' : 'top',
          fontSize: 13,
          color: '#1a1a1a',
          formatter: (p: { value: unknown }) => format(Number(p.value)),
        },
      },
    ],
  });
  return toPng(chart);
}

const SALES_COLOUR = '#1f7a5a';
const CASH_IN_COLOUR = '#2b6cb0';

/** Last week's sales and cash in as paired columns, Monday to Sunday, for the Monday briefing. */
export async function renderWeekChart(week: WeekInBusiness): Promise<Buffer> {
  const echarts = await import('echarts');
  const byDay = (a: MetricAnswer) => {
    const values = new Map(a.rows?.map((r) => [r.key, r.value]));
    return week.days.map((d) => values.get(d) ?? 0);
  };
  const series = (name: string, a: MetricAnswer, color: string) => ({
    name,
    type: 'bar' as const,
    data: byDay(a),
    barMaxWidth: 28,
    itemStyle: { color, borderRadius: [3, 3, 0, 0] },
  });
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  chart.setOption({
    ...frame(
      'Last week',
      `Sales ${shortRupees(week.sales.value)} · Cash in ${shortRupees(week.cashIn.value)} · ${week.sales.period.label}`,
    ),
    legend: { right: 24, top: 22, itemWidth: 18, itemHeight: 12, textStyle: { fontSize: 15, color: '#333' } },
    grid: { left: 80, right: 40, top: 104, bottom: 56 },
    xAxis: {
      type: 'category',
      data: week.days.map(weekdayLabel),
      axisLabel: { fontSize: 14, color: '#333', interval: 0 },
    },
    yAxis: { type: 'value', axisLabel: { fontSize: 13, color: '#555', formatter: shortRupees } },
    series: [series('Sales', week.sales, SALES_COLOUR), series('Cash in', week.cashIn, CASH_IN_COLOUR)],
  });
  return toPng(chart);
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "Mon 23": short enough for seven columns of a phone-wide chart. */
function weekdayLabel(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()}`;
}

/** The chart's SVG drawn to pixels; the chart is disposed. */
async function toPng(chart: { renderToSVGString(): string; dispose(): void }): Promise<Buffer> {
  const svg = chart.renderToSVGString();
  chart.dispose();
  const { Resvg } = await import('@resvg/resvg-js');
  const png = new Resvg(svg, {
    fitTo: { mode: 'width', value: Math.round(WIDTH * SCALE) },
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: 'Noto Sans' },
  }).render();
  return png.asPng();
}
