import { describe, expect, it } from 'vitest';
import { claimsParameterOf, requestedClaimsGuard } from './requested-claims';

describe('requested claims (OIDC Core 5.5)', () => {
  const request = {
    id_token: { email: null, acr: { essential: true, values: ['urn:example:silver'] } },
    userinfo: { upn: { essential: false } },
  };

  it('takes the object or its JSON text, and serialises it as the claims parameter', () => {
    expect(requestedClaimsGuard.parse(request)).toEqual(request);
    expect(requestedClaimsGuard.parse(JSON.stringify(request))).toEqual(request);
    expect(claimsParameterOf(request)).toBe(JSON.stringify(request));
  });

  it('sends nothing for no request or an empty one', () => {
    expect(claimsParameterOf(undefined)).toBeUndefined();
    expect(claimsParameterOf({})).toBeUndefined();
  });

  it.each([
    ['text that is not JSON', '{not json'],
    ['JSON that is not an object', '[1]'],
    ['an unknown target', { access_token: { email: null } }],
    ['a non-boolean essential', { id_token: { email: { essential: 'yes' } } }],
    ['a nested value', { id_token: { email: { value: { a: { b: 1 } } } } }],
    ['an unknown member', { id_token: { email: { essential: true, extra: 1 } } }],
    [
      '51 claims',
      { userinfo: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`c${i}`, null])) },
    ],
    ['a huge text', `{"id_token":{"a":"${'x'.repeat(10_000)}"}}`],
  ])('refuses %s', (_, value) => {
    expect(requestedClaimsGuard.safeParse(value).success).toBe(false);
  });
});
