/**
 * Colours and line styles. Colours come from the Okabe–Ito palette, chosen to stay apart for the
 * common kinds of colour blindness; each series also has its own dash pattern and marker, so the
 * chart still reads in greyscale.
 */

export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
} as const;

export const INK = '#1A1A1A';
export const MUTED_INK = '#4D4D4D';
export const GRID = '#DADADA';
export const BACKGROUND = '#FFFFFF';

export type SeriesName = 'current' | 'previous' | 'budget';

export interface SeriesStyle {
  colour: string;
  width: number;
  /** SVG stroke-dasharray; undefined is a solid line. */
  dash?: string;
  marker: 'circle' | 'square' | 'none';
  legend: string;
}

export const SERIES_STYLES: Readonly<Record<SeriesName, SeriesStyle>> = {
  current: { colour: OKABE_ITO.blue, width: 4, marker: 'circle', legend: 'This period' },
  previous: { colour: OKABE_ITO.orange, width: 4, dash: '14 8', marker: 'square', legend: 'Previous period' },
  budget: { colour: OKABE_ITO.vermillion, width: 4, dash: '1 9', marker: 'none', legend: 'Budget' },
};

export const BAR_COLOUR = OKABE_ITO.bluishGreen;
