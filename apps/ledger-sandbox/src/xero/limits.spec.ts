import { RateLimiter } from './limits';

describe("Xero's rate limits", () => {
  it('allows 60 calls in a rolling minute per tenant, then 429 with the seconds to wait', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(() => now);
    for (let i = 1; i <= 60; i++) {
      const a = limiter.acquire('t1');
      expect(a.ok).toBe(true);
      expect(a.headers['x-minlimit-remaining']).toBe(String(60 - i));
      if (a.ok) a.release();
      now += 500; // 60 calls over 30 s
    }
    const refused = limiter.acquire('t1');
    expect(refused).toMatchObject({ ok: false, problem: 'minute', retryAfter: 30 });
    expect(limiter.acquire('t2').ok).toBe(true);
    now += 30_000;
    expect(limiter.acquire('t1').ok).toBe(true);
  });

  it('allows 5 calls at once', () => {
    const limiter = new RateLimiter(() => 0);
    const held = Array.from({ length: 5 }, () => limiter.acquire('t'));
    expect(held.every((h) => h.ok)).toBe(true);
    expect(limiter.acquire('t')).toMatchObject({ ok: false, problem: 'concurrent' });
    const first = held[0];
    if (first.ok) first.release();
    expect(limiter.acquire('t').ok).toBe(true);
  });

  it('allows 5,000 calls in a rolling day', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now, {
      perMinute: 1_000_000,
      perDay: 5000,
      concurrent: 5,
      appPerMinute: 1_000_000,
    });
    for (let i = 0; i < 5000; i++) {
      const a = limiter.acquire('t');
      if (a.ok) a.release();
      now += 1000;
    }
    const refused = limiter.acquire('t');
    expect(refused).toMatchObject({ ok: false, problem: 'day' });
    expect(refused.headers['x-daylimit-remaining']).toBe('0');
    if (!refused.ok) expect(refused.retryAfter).toBe(86_400 - 5000);
  });
});
