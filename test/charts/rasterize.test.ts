import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { closeRasterizer, PNG_WIDTH, rasterize } from '../../src/charts/rasterize';
import { spendSeries } from '../../src/charts/series';
import { spendChartSvg } from '../../src/charts/spend-chart-svg';
import { dailySnapshots, NOVEMBER, OCTOBER, usageReport } from './fixtures';

function chartSvg(orgLabel = 'acme'): string {
  const usage = usageReport(NOVEMBER, { storage: 80.99, compute: 88.7, data_transfer: 34.19, other: 95.35 }, 290.23);
  const series = spendSeries({
    usage,
    history: [...dailySnapshots(OCTOBER, { 5: 40, 26: 250 }), ...dailySnapshots(NOVEMBER, { 3: 30, 20: 210 })],
    budget: 500,
    now: new Date('2026-11-26T15:00:00Z'),
    timeZone: 'UTC',
  });
  return spendChartSvg(series, orgLabel);
}

function renderedChart() {
  return rasterize(chartSvg());
}

afterAll(closeRasterizer);

function colourAt(png: PNG, x: number, y: number): string {
  const at = (png.width * y + x) * 4;
  return [png.data[at], png.data[at + 1], png.data[at + 2]]
    .map((value) => (value ?? 0).toString(16).padStart(2, '0'))
    .join('');
}

describe('rasterize', () => {
  it('renders an 800×450 PNG on white with text, bars and lines in the chart’s colours', async () => {
    const png = PNG.sync.read(await renderedChart());
    expect([png.width, png.height]).toEqual([800, 450]);

    const counts = new Map<string, number>();
    for (let y = 0; y < png.height; y++) {
      for (let x = 0; x < png.width; x++) {
        const colour = colourAt(png, x, y);
        counts.set(colour, (counts.get(colour) ?? 0) + 1);
      }
    }
    const total = png.width * png.height;
    const white = counts.get('ffffff') ?? 0;
    // Mostly white background, but a good share of it is drawn on.
    expect(white / total).toBeGreaterThan(0.5);
    expect(total - white).toBeGreaterThan(25_000);
    expect(counts.size).toBeGreaterThan(20);
    // The corners are background: rendering is opaque white, not transparent.
    expect(colourAt(png, 0, 0)).toBe('ffffff');
    expect(png.data[3]).toBe(255);
    // Bars (bluish green), this period (blue), previous period (orange) and budget (vermillion) all show up.
    for (const colour of ['009e73', '0072b2', 'e69f00', 'd55e00']) {
      expect(counts.get(colour) ?? 0).toBeGreaterThan(50);
    }
    // Text was drawn with the bundled font: the title row holds dark pixels.
    let darkInTitle = 0;
    for (let y = 20; y < 52; y++) for (let x = 32; x < 480; x++) if (colourAt(png, x, y) === '1a1a1a') darkInTitle++;
    expect(darkInTitle).toBeGreaterThan(300);
  });

  it('gives the same bytes every time (fonts come from the package, not the machine)', async () => {
    const [first, second] = await Promise.all([renderedChart(), renderedChart()]);
    expect(first.equals(second)).toBe(true);
  });

  it('draws with its font subsets exactly what the full DejaVu faces draw, Greek and Cyrillic labels included', async () => {
    const svg = chartSvg('Ацме Αλφα Müller – ≤ €');
    const full = new Resvg(svg, {
      font: {
        loadSystemFonts: false,
        fontFiles: [
          require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
          require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
        ],
        defaultFontFamily: 'DejaVu Sans',
        sansSerifFamily: 'DejaVu Sans',
      },
      background: '#ffffff',
      fitTo: { mode: 'width', value: PNG_WIDTH },
      logLevel: 'off',
    })
      .render()
      .asPng();
    expect((await rasterize(svg)).equals(full)).toBe(true);
  });
});
