import { backoffMs, FIRST_SLICE_MS, sliceMs } from './sync-engine';

describe('slice lengths', () => {
  it('start short and double up to SYNC_SLICE_MS', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => sliceMs(n, 10_000))).toEqual([250, 500, 1000, 2000, 4000, 8000, 10_000]);
    expect(sliceMs(0, 10_000)).toBe(FIRST_SLICE_MS);
    expect(sliceMs(1000, 10_000)).toBe(10_000);
  });

  it('never exceed a SYNC_SLICE_MS shorter than the first slice', () => {
    expect(sliceMs(0, 100)).toBe(100);
  });
});

describe('backoff', () => {
  it('waits between half and all of a doubling cap, at most ten minutes', () => {
    for (let attempt = 1; attempt <= 20; attempt++) {
      const cap = Math.min(600_000, 250 * 2 ** attempt);
      const ms = backoffMs(attempt);
      expect(ms).toBeGreaterThanOrEqual(cap / 2);
      expect(ms).toBeLessThanOrEqual(cap);
    }
  });
});
