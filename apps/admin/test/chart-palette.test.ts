import { describe, expect, it } from 'vitest';
import { CHART_BACKGROUND, EMPHASIS_COLOUR, PALETTE } from '../src/components/chart-palette.js';

/** WCAG 2.x relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`${hex}: expected a #rrggbb colour`);
  const [r, g, b] = match.slice(1).map((part) => {
    const channel = Number.parseInt(part, 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
}

describe('chart palette contrast (WCAG AA)', () => {
  it('computes the known ratios of black, white and mid grey', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it('gives every series colour at least 4.5:1 against the chart background', () => {
    for (const colour of [...PALETTE, EMPHASIS_COLOUR]) {
      expect({ colour, ratio: contrast(colour, CHART_BACKGROUND) >= 4.5 }).toEqual({ colour, ratio: true });
    }
  });

  it('has as many distinct colours as it lists', () => {
    expect(new Set(PALETTE.map((c) => c.toLowerCase())).size).toBe(PALETTE.length);
  });

  it('would have caught the old orange (#e67700, 3.0:1)', () => {
    expect(contrast('#e67700', CHART_BACKGROUND)).toBeLessThan(4.5);
  });
});
