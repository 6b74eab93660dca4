import { describe, expect, it } from '@jest/globals';
import { accentProperties, applyAccent, isAccentColor } from './accent';

function fakeRoot() {
  const props = new Map<string, string>();
  return {
    props,
    el: {
      dataset: {} as Record<string, string>,
      style: {
        setProperty: (name: string, value: string) => void props.set(name, value),
        removeProperty: (name: string) => {
          const had = props.get(name) ?? '';
          props.delete(name);
          return had;
        },
      },
    } as unknown as HTMLElement,
  };
}

describe('isAccentColor', () => {
  it('accepts #rrggbb only', () => {
    expect(isAccentColor('#0f5f6b')).toBe(true);
    expect(isAccentColor('#0F5F6B')).toBe(true);
    expect(isAccentColor('#fff')).toBe(false);
    expect(isAccentColor('red')).toBe(false);
    expect(isAccentColor('#0f5f6b; background: url(x)')).toBe(false);
    expect(isAccentColor(null)).toBe(false);
  });
});

describe('accentProperties', () => {
  it('makes the accent the primary colour of buttons, links and focus rings', () => {
    const p = accentProperties('#0F5F6B');
    expect(p['--portal-accent']).toBe('#0f5f6b');
    expect(p['--p-primary-600']).toBe('#0f5f6b');
    expect(p['--p-primary-color']).toBe('#0f5f6b');
    expect(p['--p-button-primary-background']).toBe('#0f5f6b');
    expect(p['--p-button-primary-color']).toBe('#ffffff');
    expect(p['--lp-link']).toBe('#0f5f6b');
  });

  it('hovers darker and tints lighter', () => {
    const p = accentProperties('#808080');
    expect(p['--p-button-primary-hover-background']).toBe('#6e6e6e');
    expect(p['--p-primary-50']! > p['--p-primary-600']!).toBe(true);
  });

  it('gives nothing for a value that is not a colour', () => {
    expect(accentProperties('nope')).toEqual({});
  });
});

describe('applyAccent', () => {
  it('sets the properties on the root, and removes them all for null', () => {
    const { el, props } = fakeRoot();
    applyAccent('#0f5f6b', el);
    expect(props.get('--portal-accent')).toBe('#0f5f6b');
    expect(el.dataset['portalAccent']).toBe('#0f5f6b');
    applyAccent(null, el);
    expect(props.size).toBe(0);
    expect(el.dataset['portalAccent']).toBeUndefined();
  });

  it('ignores a colour it cannot use', () => {
    const { el, props } = fakeRoot();
    applyAccent('javascript:alert(1)', el);
    expect(props.size).toBe(0);
  });
});
