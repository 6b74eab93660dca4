/**
 * A firm's accent colour applied to the whole portal: `--portal-accent` plus PrimeVue's primary
 * palette and primary-button variables, so every primary button, focus ring and link follows it.
 * The API guarantees white text on the accent is readable (contrast ≥ 4.5), so the accent is the
 * palette's 600 step (the one primary buttons use) and the other steps are tints and shades of it.
 */

const HEX = /^#([0-9a-f]{6})$/i;

type Rgb = [number, number, number];

function parseHex(value: string | null | undefined): Rgb | null {
  const m = HEX.exec(value?.trim() ?? '');
  if (!m?.[1]) return null;
  const n = parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** `amount` of `other` mixed into `color` (0 = color, 1 = other). */
function mix(color: Rgb, other: Rgb, amount: number): Rgb {
  return [0, 1, 2].map((i) => color[i]! + (other[i]! - color[i]!) * amount) as Rgb;
}

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];

/** True for a `#rrggbb` colour. */
export function isAccentColor(value: string | null | undefined): value is string {
  return parseHex(value) !== null;
}

/** The CSS custom properties that brand the portal with `accent`. */
export function accentProperties(accent: string): Record<string, string> {
  const rgb = parseHex(accent);
  if (!rgb) return {};
  const tint = (amount: number) => toHex(mix(rgb, WHITE, amount));
  const shade = (amount: number) => toHex(mix(rgb, BLACK, amount));
  const base = toHex(rgb);
  const hover = shade(0.14);
  const active = shade(0.26);
  const [r, g, b] = rgb;
  return {
    '--portal-accent': base,
    '--portal-accent-hover': hover,
    '--portal-accent-soft': tint(0.9),
    '--portal-accent-glow': `rgba(${r}, ${g}, ${b}, 0.1)`,
    '--p-primary-50': tint(0.94),
    '--p-primary-100': tint(0.86),
    '--p-primary-200': tint(0.7),
    '--p-primary-300': tint(0.5),
    '--p-primary-400': tint(0.3),
    '--p-primary-500': tint(0.12),
    '--p-primary-600': base,
    '--p-primary-700': hover,
    '--p-primary-800': active,
    '--p-primary-900': shade(0.4),
    '--p-primary-950': shade(0.6),
    '--p-primary-color': base,
    '--p-primary-hover-color': hover,
    '--p-primary-active-color': active,
    '--p-primary-contrast-color': '#ffffff',
    '--p-button-primary-background': base,
    '--p-button-primary-hover-background': hover,
    '--p-button-primary-active-background': active,
    '--p-button-primary-border-color': base,
    '--p-button-primary-hover-border-color': hover,
    '--p-button-primary-active-border-color': active,
    '--p-button-primary-color': '#ffffff',
    '--p-button-primary-hover-color': '#ffffff',
    '--p-button-primary-active-color': '#ffffff',
    '--p-button-primary-focus-ring-color': base,
    '--p-focus-ring-color': base,
    '--p-form-field-focus-border-color': base,
    '--p-form-field-focus-ring-shadow': `0 0 0 3px rgba(${r}, ${g}, ${b}, 0.22)`,
    '--lp-link': base,
    '--lp-link-hover': active,
    '--lp-focus': base,
  };
}

let applied: string[] = [];
let appliedColor: string | null = null;

/**
 * Brands the document with `accent` (inline custom properties on <html>, so they also reach
 * dialogs and menus teleported to <body>), or restores the theme's own primary for `null`.
 */
export function applyAccent(accent: string | null | undefined, root: HTMLElement = document.documentElement) {
  const next = isAccentColor(accent) ? accent.toLowerCase() : null;
  if (next === appliedColor) return;
  for (const name of applied) root.style.removeProperty(name);
  applied = [];
  appliedColor = next;
  if (!next) {
    delete root.dataset['portalAccent'];
    return;
  }
  for (const [name, value] of Object.entries(accentProperties(next))) {
    root.style.setProperty(name, value);
    applied.push(name);
  }
  root.dataset['portalAccent'] = next;
}
