/** The contrast the API asks of white text on the accent colour (WCAG AA for normal text). */
export const MIN_CONTRAST = 4.5;

/**
 * "#1F7469", "1f7469" or "#1f7" → "#1f7469"; null when it is not a colour.
 * The API stores `#rrggbb`, so shorthand is expanded before saving.
 */
export function normaliseHex(value: string): string | null {
  const raw = value.trim().replace(/^#/, '').toLowerCase();
  if (/^[0-9a-f]{6}$/.test(raw)) return `#${raw}`;
  if (/^[0-9a-f]{3}$/.test(raw)) return `#${[...raw].map((c) => c + c).join('')}`;
  return null;
}

function channel(hex: string, index: number): number {
  const v = parseInt(hex.slice(1 + index * 2, 3 + index * 2), 16) / 255;
  return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of a `#rrggbb` colour. */
export function luminance(hex: string): number {
  return 0.2126 * channel(hex, 0) + 0.7152 * channel(hex, 1) + 0.0722 * channel(hex, 2);
}

/** Contrast ratio of white text on a `#rrggbb` background, e.g. 5.27. */
export function contrastWithWhite(hex: string): number {
  return 1.05 / (luminance(hex) + 0.05);
}

/** "5.3:1" — rounded down, so a colour shown as 4.5:1 really is readable. */
export function formatRatio(ratio: number): string {
  return `${(Math.floor(ratio * 10) / 10).toFixed(1)}:1`;
}
