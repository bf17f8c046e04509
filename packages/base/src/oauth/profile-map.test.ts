import { ConnectorError } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';
import { socialUserInfoFromClaims } from './oidc-claims';
import {
  mapProfileClaims,
  parseProfilePath,
  profileMapGuard,
  readProfilePath,
  socialUserInfoFromMappedClaims,
} from './profile-map';

const providerName = 'Example';

describe('profile paths', () => {
  it('reach into nested objects and arrays', () => {
    const profile = {
      data: { user: { id: 7 } },
      emails: [{ value: 'a@example.com' }],
      m: [[1, 2]],
    };
    expect(readProfilePath(profile, 'data.user.id')).toBe(7);
    expect(readProfilePath(profile, 'emails[0].value')).toBe('a@example.com');
    expect(readProfilePath(profile, 'm[0][1]')).toBe(2);
    expect(readProfilePath(profile, 'emails[1].value')).toBeUndefined();
    expect(readProfilePath(profile, 'data[0]')).toBeUndefined();
  });

  it('never read a prototype, and refuse its segments as a path', () => {
    expect(parseProfilePath('__proto__.polluted')).toBeUndefined();
    expect(parseProfilePath('a.constructor.name')).toBeUndefined();
    expect(parseProfilePath('prototype')).toBeUndefined();
    expect(readProfilePath({}, 'toString')).toBeUndefined();
    expect(readProfilePath({ a: [] }, 'a.length')).toBeUndefined();
  });

  it('refuses hostile maps in the config guard: prototype paths, huge lists, nesting, code', () => {
    for (const map of [
      { id: '__proto__' },
      { email: ['email', 'constructor.prototype'] },
      { email: Array.from({ length: 10_000 }, (_, index) => `e${index}`) },
      { name: { nested: { deeper: 'name' } } },
      { id: 'a'.repeat(201) },
      { id: 'a..b' },
    ]) {
      expect(profileMapGuard.safeParse(map).success, JSON.stringify(map).slice(0, 80)).toBe(false);
    }
  });

  it('reads a key that looks like code as a plain key: paths are data, never evaluated', () => {
    expect(readProfilePath({ 'eval("1")': 5 }, 'eval("1")')).toBe(5);
  });

  it('never throws on odd values under any target', () => {
    const odd = [
      null,
      1,
      true,
      {},
      [],
      [[]],
      Object.create(null),
      {
        toString: () => {
          throw new Error('x');
        },
      },
    ];
    for (const value of odd) {
      expect(() => profileMapGuard.safeParse({ id: value, email: [value] })).not.toThrow();
    }
  });
});

describe('mapProfileClaims', () => {
  it('takes the first fallback path that has a value', () => {
    const user = mapProfileClaims(
      { user_id: 42, upn: 'a@corp.example', email_verified: true },
      {
        id: ['id', 'sub', 'user_id'],
        email: ['email', 'preferred_username', 'upn'],
        emailVerified: 'email_verified',
      },
      { providerName },
    );
    expect(user).toMatchObject({ id: '42', email: 'a@corp.example' });
  });

  it('returns an email only when its verification claim is true or "true"', () => {
    const map = { id: 'sub', email: 'email', emailVerified: 'email_verified' };
    const signIn = (verified: unknown) =>
      mapProfileClaims({ sub: '1', email: 'a@example.com', email_verified: verified }, map, {
        providerName,
      }).email;
    expect(signIn(true)).toBe('a@example.com');
    expect(signIn('true')).toBe('a@example.com');
    expect(signIn('false')).toBeUndefined();
    expect(signIn(undefined)).toBeUndefined();
    expect(
      mapProfileClaims({ sub: '1', email: 'a@example.com' }, map, {
        providerName,
        trustUnverifiedEmail: true,
      }).email,
    ).toBe('a@example.com');
  });

  it('keeps the official OAuth 2.0 semantics when no verification path is mapped (when-mapped)', () => {
    const user = mapProfileClaims(
      { id: 'u', email: 'a@example.com', phone: '+4512345678' },
      { id: 'id', email: 'email', phone: 'phone' },
      { providerName, verification: 'when-mapped' },
    );
    expect(user).toMatchObject({ id: 'u', email: 'a@example.com', phone: '+4512345678' });
  });

  it('refuses a profile without an id, naming the paths tried', () => {
    expect(() => mapProfileClaims({ name: 'x' }, { id: ['id', 'sub'] }, { providerName })).toThrow(
      ConnectorError,
    );
    try {
      mapProfileClaims({ name: 'x' }, { id: ['id', 'sub'] }, { providerName });
    } catch (error: unknown) {
      expect((error as ConnectorError).code).toBe('invalid_response');
      expect(JSON.stringify((error as ConnectorError).data)).toContain('`id`, `sub`');
    }
  });
});

describe('socialUserInfoFromMappedClaims (OIDC)', () => {
  const claims = {
    sub: 'sub-1',
    oid: 'object-1',
    name: 'Ada',
    picture: 'https://example.com/ada.png',
    email: 'ada@example.com',
    email_verified: true,
    phone_number: '+4512345678',
    phone_number_verified: true,
    upn: 'ada@corp.example',
    phone_verified_text: 'true',
  };
  const options = { providerName };

  it('is the standard mapping without a map, or with an empty one', () => {
    const standard = socialUserInfoFromClaims(claims);
    expect(socialUserInfoFromMappedClaims(claims, undefined, options)).toEqual(standard);
    expect(socialUserInfoFromMappedClaims(claims, {}, options)).toEqual(standard);
  });

  it('reads mapped targets from their paths and leaves the others standard', () => {
    const user = socialUserInfoFromMappedClaims(
      claims,
      { id: 'oid', phone: 'phone_number', phoneVerified: 'phone_verified_text' },
      options,
    );
    expect(user).toMatchObject({
      id: 'object-1',
      name: 'Ada',
      email: 'ada@example.com',
      phone: '+4512345678',
      avatar: 'https://example.com/ada.png',
    });
  });

  it('checks a mapped email against email_verified, strings only when accepted', () => {
    const unverified = { ...claims, email_verified: 'true' };
    const map = { email: 'upn' };
    expect(socialUserInfoFromMappedClaims(unverified, map, options).email).toBeUndefined();
    expect(
      socialUserInfoFromMappedClaims(unverified, map, { ...options, acceptStringBooleans: true })
        .email,
    ).toBe('ada@corp.example');
    expect(
      socialUserInfoFromMappedClaims({ ...claims, email_verified: false }, map, {
        ...options,
        trustUnverifiedEmail: true,
      }).email,
    ).toBe('ada@corp.example');
  });

  it('still needs a sub: an OIDC response without one is refused', () => {
    const { sub: _, ...withoutSub } = claims;
    expect(() => socialUserInfoFromMappedClaims(withoutSub, { id: 'oid' }, options)).toThrow(
      ConnectorError,
    );
  });
});
