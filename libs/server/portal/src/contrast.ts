/**
 * WCAG 2.x contrast between two sRGB colours given as #rrggbb (1 to 21). The formula is the
 * specification's (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio); it is short enough that a
 * dependency would add more than it saves.
 */
export function contrastRatio(a: string, b: string): number {
  const [la, lb] = [relativeLuminance(a), relativeLuminance(b)];
  const [hi, lo] = la > lb ? [la, lb] : [lb, la];
  return (hi + 0.05) / (lo + 0.05);
}

export function relativeLuminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`Not a #rrggbb colour: ${hex}`);
  const [r, g, b] = m.slice(1).map((h) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** AA for normal text: the accent carries white button labels and is used as text on white. */
export const MIN_ACCENT_CONTRAST = 4.5;
