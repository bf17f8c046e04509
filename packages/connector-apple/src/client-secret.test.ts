import { ConnectorError } from '@logto/connector-kit';
import { decodeJwt, exportPKCS8, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  appleClientSecret,
  clearClientSecretCache,
  clientSecretLifetimeSeconds,
  clientSecretRenewalMarginSeconds,
  normalizePrivateKeyPem,
} from './client-secret';

const audience = 'https://appleid.apple.com';
let pem: string;
let publicKey: Awaited<ReturnType<typeof generateKeyPair>>['publicKey'];

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  pem = await exportPKCS8(pair.privateKey);
  publicKey = pair.publicKey;
});
beforeEach(() => clearClientSecretCache());
afterEach(() => vi.useRealTimers());

const key = () => ({ teamId: 'ABCDE12345', keyId: 'KEY1234567', privateKey: pem });

describe('Apple client secret', () => {
  it('is an ES256 JWT Apple accepts, signed by the key', async () => {
    const secret = await appleClientSecret(key(), 'com.example.web', audience);
    const { payload, protectedHeader } = await jwtVerify(secret, publicKey, {
      issuer: 'ABCDE12345',
      subject: 'com.example.web',
      audience,
      algorithms: ['ES256'],
    });
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: 'KEY1234567' });
    expect(payload.exp! - payload.iat!).toBe(clientSecretLifetimeSeconds);
    expect(clientSecretLifetimeSeconds).toBeLessThanOrEqual(15_777_000);
  });

  it('is signed once per lifetime however many sign-ins ask, concurrently or not', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const signatures = vi.spyOn(SignJWT.prototype, 'sign');
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () => appleClientSecret(key(), 'com.example.web', audience)),
    );
    const later = await appleClientSecret(key(), 'com.example.web', audience);
    expect(new Set([...concurrent, later]).size).toBe(1);
    expect(signatures).toHaveBeenCalledTimes(1);

    // Just before the renewal margin: still the same one.
    vi.setSystemTime(
      Date.now() + (clientSecretLifetimeSeconds - clientSecretRenewalMarginSeconds - 1) * 1000,
    );
    expect(await appleClientSecret(key(), 'com.example.web', audience)).toBe(later);
    expect(signatures).toHaveBeenCalledTimes(1);

    // Inside it: renewed once, with a full lifetime ahead.
    vi.setSystemTime(Date.now() + 2000);
    const renewed = await appleClientSecret(key(), 'com.example.web', audience);
    await appleClientSecret(key(), 'com.example.web', audience);
    expect(renewed).not.toBe(later);
    expect(signatures).toHaveBeenCalledTimes(2);
    expect(decodeJwt(renewed).exp! * 1000).toBe(
      Math.floor(Date.now() / 1000) * 1000 + clientSecretLifetimeSeconds * 1000,
    );
  });

  it('is signed separately for another Services ID, team or key', async () => {
    const signatures = vi.spyOn(SignJWT.prototype, 'sign');
    await appleClientSecret(key(), 'com.example.web', audience);
    await appleClientSecret(key(), 'com.example.other', audience);
    await appleClientSecret({ ...key(), teamId: 'OTHER12345' }, 'com.example.web', audience);
    await appleClientSecret({ ...key(), keyId: 'OTHERKEY01' }, 'com.example.web', audience);
    expect(signatures).toHaveBeenCalledTimes(4);
  });

  it('refuses a key that is not a P-256 PKCS #8 key as invalid_config, and does not cache the failure', async () => {
    const rsa = await generateKeyPair('RS256', { extractable: true });
    for (const privateKey of ['garbage', await exportPKCS8(rsa.privateKey)]) {
      const error = await appleClientSecret({ ...key(), privateKey }, 'com.example.web', audience)
        .then(() => undefined)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConnectorError);
      expect((error as ConnectorError).code).toBe('invalid_config');
      expect(JSON.stringify((error as ConnectorError).data)).not.toContain(
        privateKey.length > 60 ? privateKey.slice(30, 60) : privateKey,
      );
    }
    // The operator fixes the key: the next sign-in uses it at once.
    await expect(appleClientSecret(key(), 'com.example.web', audience)).resolves.toMatch(/^ey/);
  });

  it('reads the .p8 as operators paste it', async () => {
    const body = pem
      .split('\n')
      .filter((line) => line && !line.startsWith('-----'))
      .join('');
    for (const pasted of [
      pem.replace(/\n/g, '\r\n'),
      pem.replace(/\n/g, '\\n'),
      body,
      ` ${pem} `,
    ]) {
      expect(normalizePrivateKeyPem(pasted).trim()).toBe(pem.trim());
    }
  });
});
