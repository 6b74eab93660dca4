import { contrastRatio, MIN_ACCENT_CONTRAST } from './contrast';

describe('contrastRatio', () => {
  it('gives the extremes of the WCAG scale', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#777777')).toBeCloseTo(1, 5);
  });

  it('matches published reference values', () => {
    // #767676 on white is the well-known lightest grey that passes AA (4.54:1).
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#0f5f6b', '#ffffff')).toBeGreaterThan(MIN_ACCENT_CONTRAST);
    expect(contrastRatio('#ffcc00', '#ffffff')).toBeLessThan(MIN_ACCENT_CONTRAST);
  });

  it('is symmetric and case-insensitive', () => {
    expect(contrastRatio('#FFFFFF', '#0F5F6B')).toBeCloseTo(contrastRatio('#0f5f6b', '#ffffff'), 10);
  });

  it('refuses anything but #rrggbb', () => {
    expect(() => contrastRatio('red', '#ffffff')).toThrow(/#rrggbb/);
  });
});
