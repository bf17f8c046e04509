import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';
import { mergeUserInfoClaims, readBooleanClaim, socialUserInfoFromClaims } from './oidc-claims';

const logtoClaims = {
  sub: 'user-1',
  name: 'Alice',
  picture: 'https://example.com/a.png',
  email: 'alice@example.com',
  email_verified: true,
  phone_number: '+15555550100',
  phone_number_verified: true,
  username: 'alice',
};

describe('readBooleanClaim', () => {
  it('reads real booleans and ignores strings unless they are accepted', () => {
    expect(readBooleanClaim(true)).toBe(true);
    expect(readBooleanClaim(false)).toBe(false);
    expect(readBooleanClaim('true')).toBeUndefined();
    expect(readBooleanClaim('TRUE', true)).toBe(true);
    expect(readBooleanClaim('1', true)).toBe(true);
    expect(readBooleanClaim('false', true)).toBe(false);
    expect(readBooleanClaim('maybe', true)).toBeUndefined();
    expect(readBooleanClaim(1, true)).toBeUndefined();
  });
});

describe('socialUserInfoFromClaims', () => {
  it('maps Logto’s claim set (phone_number, username) to the user', () => {
    expect(socialUserInfoFromClaims(logtoClaims)).toEqual({
      id: 'user-1',
      name: 'Alice',
      avatar: 'https://example.com/a.png',
      email: 'alice@example.com',
      phone: '+15555550100',
      rawData: logtoClaims,
    });
  });

  it('keeps accepting the legacy phone / phone_verified claims', () => {
    const user = socialUserInfoFromClaims({ sub: 's', phone: '+1555', phone_verified: true });
    expect(user.phone).toBe('+1555');
  });

  it('drops an unverified or unflagged phone number', () => {
    expect(
      socialUserInfoFromClaims({ sub: 's', phone_number: '+1', phone_number_verified: false })
        .phone,
    ).toBeUndefined();
    expect(socialUserInfoFromClaims({ sub: 's', phone_number: '+1' }).phone).toBeUndefined();
  });

  it('uses an email only when verified, unless unverified emails are trusted', () => {
    const unverified = { sub: 's', email: 'a@example.com', email_verified: false };
    const unflagged = { sub: 's', email: 'a@example.com' };
    expect(socialUserInfoFromClaims(unverified).email).toBeUndefined();
    expect(socialUserInfoFromClaims(unflagged).email).toBeUndefined();
    expect(socialUserInfoFromClaims(unverified, { trustUnverifiedEmail: true }).email).toBe(
      'a@example.com',
    );
    expect(socialUserInfoFromClaims(unflagged, { trustUnverifiedEmail: true }).email).toBe(
      'a@example.com',
    );
  });

  it('honours string booleans only when enabled', () => {
    const claims = {
      sub: 's',
      email: 'a@example.com',
      email_verified: 'true',
      phone_number: '+1',
      phone_number_verified: 'true',
    };
    expect(socialUserInfoFromClaims(claims)).not.toHaveProperty('email');
    expect(socialUserInfoFromClaims(claims)).not.toHaveProperty('phone');
    const accepted = socialUserInfoFromClaims(claims, { acceptStringBooleans: true });
    expect(accepted.email).toBe('a@example.com');
    expect(accepted.phone).toBe('+1');
  });

  it('falls back to preferred_username, then username, for the name', () => {
    expect(
      socialUserInfoFromClaims({ sub: 's', preferred_username: 'p', username: 'u' }).name,
    ).toBe('p');
    expect(socialUserInfoFromClaims({ sub: 's', username: 'u' }).name).toBe('u');
    expect(socialUserInfoFromClaims({ sub: 's', name: ' ', username: 'u' }).name).toBe('u');
  });

  it('refuses claims without a subject', () => {
    expect(() => socialUserInfoFromClaims({ name: 'x' })).toThrow(ConnectorError);
    try {
      socialUserInfoFromClaims({ sub: '' });
    } catch (error) {
      expect((error as ConnectorError).code).toBe(ConnectorErrorCodes.InvalidResponse);
    }
  });
});

describe('mergeUserInfoClaims', () => {
  const idToken = {
    iss: 'https://op.example',
    sub: 'user-1',
    aud: 'client',
    nonce: 'n',
    email: 'old@example.com',
    email_verified: true,
  };

  it('lets userinfo profile claims win but keeps the token’s own claims', () => {
    const merged = mergeUserInfoClaims(
      idToken,
      { sub: 'user-1', name: 'Alice', iss: 'https://evil.example', nonce: 'x', picture: null },
      'OP',
    );
    expect(merged).toMatchObject({ iss: 'https://op.example', nonce: 'n', name: 'Alice' });
    expect(merged).not.toHaveProperty('picture');
  });

  it('refuses a userinfo response about another subject', () => {
    expect(() => mergeUserInfoClaims(idToken, { sub: 'user-2', name: 'Mallory' }, 'OP')).toThrow(
      /another subject/,
    );
  });

  it('does not carry the ID token’s email_verified over to a different userinfo email', () => {
    const merged = mergeUserInfoClaims(idToken, { sub: 'user-1', email: 'new@example.com' }, 'OP');
    expect(merged.email).toBe('new@example.com');
    expect(merged).not.toHaveProperty('email_verified');
    expect(socialUserInfoFromClaims(merged).email).toBeUndefined();
    const same = mergeUserInfoClaims(idToken, { sub: 'user-1', email: 'old@example.com' }, 'OP');
    expect(same.email_verified).toBe(true);
  });
});
