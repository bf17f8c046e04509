import { createHash } from 'node:crypto';
import { connectorError } from '@idplug/base';
import { ConnectorErrorCodes } from '@logto/connector-kit';
import { importPKCS8, SignJWT } from 'jose';
import type { AppleSigningKey } from './config';

/**
 * Apple's client secret: a JWT the operator's Sign in with Apple key signs with ES256, `kid` the
 * key's id, `iss` the team, `sub` the Services ID, `aud` https://appleid.apple.com, and an `exp`
 * at most 15777000 seconds (six months) after `iat`
 * (https://developer.apple.com/documentation/accountorganizationaldatasharing/creating-a-client-secret).
 *
 * It is signed once per lifetime per process, not per sign-in: cached by everything that goes
 * into it, and renewed a while before it expires, so a secret sent to Apple always has time left.
 * Concurrent sign-ins share one pending signature.
 */

/** One day: far below Apple's six months, so a leaked secret is worth little. */
export const clientSecretLifetimeSeconds = 24 * 60 * 60;
/** A secret with less than this left is replaced before it is sent. */
export const clientSecretRenewalMarginSeconds = 60 * 60;

type CachedSecret = { value: Promise<string>; renewAt: number };

const secretsByKey = new Map<string, CachedSecret>();

/** For tests: forget every cached client secret. */
export const clearClientSecretCache = () => secretsByKey.clear();

/**
 * The `.p8` as operators paste it: with CRLF line ends, with `\n` escapes from an environment
 * variable, or only the base64 body without its BEGIN/END lines.
 */
export const normalizePrivateKeyPem = (text: string): string => {
  const pem = text.trim().replace(/\\n/g, '\n').replace(/\r\n?/g, '\n');
  if (pem.includes('-----BEGIN')) {
    return pem;
  }
  const body = pem.replace(/\s+/g, '');
  return `-----BEGIN PRIVATE KEY-----\n${(body.match(/.{1,64}/g) ?? []).join('\n')}\n-----END PRIVATE KEY-----`;
};

const importSigningKey = async (privateKey: string) => {
  try {
    return await importPKCS8(normalizePrivateKeyPem(privateKey), 'ES256');
  } catch {
    throw connectorError(
      ConnectorErrorCodes.InvalidConfig,
      '`privateKey` is not a Sign in with Apple key: paste the whole AuthKey_<Key ID>.p8 file (a PKCS #8 PEM of a P-256 key)',
      {
        provider: 'Apple',
        hint: 'Download a new key in Certificates, Identifiers & Profiles > Keys if the .p8 is lost',
      },
    );
  }
};

const signClientSecret = async (
  key: AppleSigningKey,
  clientId: string,
  audience: string,
  issuedAt: number,
): Promise<string> =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: key.keyId })
    .setIssuer(key.teamId)
    .setSubject(clientId)
    .setAudience(audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + clientSecretLifetimeSeconds)
    .sign(await importSigningKey(key.privateKey));

/** The client secret for this key, Services ID and audience: cached, renewed before it expires. */
export const appleClientSecret = async (
  key: AppleSigningKey,
  clientId: string,
  audience: string,
): Promise<string> => {
  const cacheKey = createHash('sha256')
    .update(JSON.stringify([key.teamId, key.keyId, key.privateKey, clientId, audience]))
    .digest('base64url');
  const now = Math.floor(Date.now() / 1000);
  const cached = secretsByKey.get(cacheKey);
  if (cached && now < cached.renewAt) {
    return cached.value;
  }
  for (const [otherKey, other] of secretsByKey) {
    if (now >= other.renewAt) {
      secretsByKey.delete(otherKey);
    }
  }
  const value = signClientSecret(key, clientId, audience, now);
  secretsByKey.set(cacheKey, {
    value,
    renewAt: now + clientSecretLifetimeSeconds - clientSecretRenewalMarginSeconds,
  });
  // A key that does not import is not cached: the operator's fix must take effect at once.
  value.catch(() => secretsByKey.delete(cacheKey));
  return value;
};
