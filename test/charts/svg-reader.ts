/** Reads elements and their attributes back out of the chart's SVG, for checking plotted values. */

export interface SvgElement {
  name: string;
  attrs: Record<string, string>;
}

const TAG = /<([a-zA-Z][\w-]*)((?:\s+[\w:-]+="[^"]*")*)\s*\/?>/g;
const ATTR = /([\w:-]+)="([^"]*)"/g;

function unescapeXml(value: string): string {
  return value
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

export function elements(svg: string, filter: (element: SvgElement) => boolean = () => true): SvgElement[] {
  const found: SvgElement[] = [];
  for (const match of svg.matchAll(TAG)) {
    const attrs: Record<string, string> = {};
    for (const attr of (match[2] ?? '').matchAll(ATTR)) attrs[attr[1] as string] = unescapeXml(attr[2] as string);
    const element = { name: match[1] as string, attrs };
    if (filter(element)) found.push(element);
  }
  return found;
}

/** Elements carrying `data-series="name"` and a plotted point. */
export function pointsOf(svg: string, series: string): Array<{ day: number; value: number; x: number; y: number }> {
  return elements(svg, (e) => e.attrs['data-series'] === series && e.attrs['data-day'] !== undefined).map((e) => {
    const size = Number(e.attrs.width ?? 0);
    return {
      day: Number(e.attrs['data-day']),
      value: Number(e.attrs['data-value']),
      x: e.name === 'circle' ? Number(e.attrs.cx) : Number(e.attrs.x) + size / 2,
      y: e.name === 'circle' ? Number(e.attrs.cy) : Number(e.attrs.y) + size / 2,
    };
  });
}

/** The y pixel of each $ tick's grid line, as `[value, y]`. */
export function moneyTicks(svg: string): Array<[number, number]> {
  const ticks: Array<[number, number]> = [];
  const pattern = /<g class="y-tick" data-value="([^"]+)"><line [^>]*y1="([^"]+)"/g;
  for (const match of svg.matchAll(pattern)) ticks.push([Number(match[1]), Number(match[2])]);
  return ticks;
}

/** The x pixel of each day tick, as `[day, x]`. */
export function dayTicksOf(svg: string): Array<[number, number]> {
  const ticks: Array<[number, number]> = [];
  const pattern = /<g class="x-tick" data-day="([^"]+)"><line x1="([^"]+)"/g;
  for (const match of svg.matchAll(pattern)) ticks.push([Number(match[1]), Number(match[2])]);
  return ticks;
}

/** Where `value` falls between the two outermost ticks, read linearly off the axis. */
export function pixelOn(ticks: Array<[number, number]>, value: number): number {
  const [first, last] = [ticks[0], ticks.at(-1)];
  if (!first || !last) throw new Error('no ticks');
  return first[1] + ((value - first[0]) / (last[0] - first[0])) * (last[1] - first[1]);
}
