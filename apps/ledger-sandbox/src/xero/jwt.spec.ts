import { createPublicKey, createVerify } from 'node:crypto';
import { atHash, JwtSigner } from './jwt';

describe('RS256 signing', () => {
  it('signs tokens that verify with the published JWK', () => {
    const signer = new JwtSigner();
    const token = signer.sign({ sub: 'abc', iss: 'http://x' });
    const [h, p, s] = token.split('.');
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toMatchObject({
      alg: 'RS256',
      kid: signer.kid,
    });
    const jwk = signer.jwks().keys[0];
    const key = createPublicKey({ key: jwk as never, format: 'jwk' });
    expect(createVerify('RSA-SHA256').update(`${h}.${p}`).verify(key, Buffer.from(s, 'base64url'))).toBe(
      true,
    );
    expect(signer.verify(token)).toMatchObject({ sub: 'abc' });
    expect(signer.verify(`${h}.${Buffer.from('{"sub":"evil"}').toString('base64url')}.${s}`)).toBeUndefined();
  });

  it('computes at_hash as OpenID Connect defines it', () => {
    // Example from OpenID Connect Core 1.0, Appendix A.3 (RS256).
    expect(atHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y')).toBe('77QmUPtjPfzWtF2AnpK9RQ');
  });
});
