/**
 * Series colours of the score charts, drawn on CHART_BACKGROUND. Each reaches 4.5:1 against it
 * (WCAG AA for text, since the legend writes series names in their colour; lines need 3:1);
 * test/chart-palette.test.ts computes the ratios.
 */
export const CHART_BACKGROUND = '#ffffff';

export const PALETTE = [
  '#2456c4',
  '#c03d0b',
  '#237032',
  '#8a2fa3',
  '#b35900',
  '#096070',
  '#b01f52',
  '#4a7a0a',
] as const;

/** The series a chart stresses (the mean over tasks). */
export const EMPHASIS_COLOUR = '#111111';
