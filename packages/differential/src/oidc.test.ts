import { clearJwksCache } from '@idplug/base';
import createIdplugOidc from '@idplug/connector-oidc';
import { startSocialSignIn, useProviderMock } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import * as officialModule from '@logto/connector-oidc';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { HttpResponse, http } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import { officialFactory } from './official-connector';
import { profileOf, signInOutcome } from './sign-in-outcome';

/**
 * @logto/connector-oidc 1.7.5 and @idplug/connector-oidc with configs as the official console
 * stored them (explicit endpoints, `idTokenVerificationConfig.jwksUri`, no issuer, no
 * `profileMap`, no `pkce`) against the same signed ID tokens: both must return the same `id`
 * (or both refuse) and the same name, avatar and email. The official connector reads no
 * `phone_number`, so phones are compared only where it reads one (`phone` / `phone_verified`).
 */

const issuer = 'https://op.example.com';
const redirectUri = 'https://logto.example.com/callback/oidc';
const signing = await generateKeyPair('RS256');
const publicJwk = { ...(await exportJWK(signing.publicKey)), kid: 'key-1', alg: 'RS256' };
const storedConfig = {
  responseType: 'code',
  grantType: 'authorization_code',
  authorizationEndpoint: `${issuer}/auth`,
  tokenEndpoint: `${issuer}/token`,
  clientId: 'differential-oidc-client',
  clientSecret: 'differential-oidc-secret',
  tokenEndpointAuthMethod: 'client_secret_post',
  clientSecretJwtSigningAlgorithm: 'HS256',
  scope: 'openid profile email',
  idTokenVerificationConfig: { jwksUri: `${issuer}/jwks` },
  authRequestOptionalConfig: {},
  customConfig: {},
};

const claimSets: Record<string, { claims: Record<string, unknown>; config?: object }> = {
  'a verified email': {
    claims: {
      sub: 's-1',
      name: 'Ada',
      picture: 'https://cdn.example.com/a.png',
      email: 'a@example.com',
      email_verified: true,
    },
  },
  'an unverified email': { claims: { sub: 's-2', email: 'b@example.com', email_verified: false } },
  'an email without email_verified, trusted': {
    claims: { sub: 's-3', email: 'c@example.com' },
    config: { trustUnverifiedEmail: true },
  },
  'string booleans, accepted': {
    claims: {
      sub: 's-4',
      email: 'd@example.com',
      email_verified: 'true',
      phone: '+15550004',
      phone_verified: 'true',
    },
    config: { acceptStringTypedBooleanClaims: true },
  },
  'a verified legacy phone': { claims: { sub: 's-5', phone: '+15550005', phone_verified: true } },
  'only a sub': { claims: { sub: 's-6' } },
  'unicode names': { claims: { sub: 's-7', name: 'Zoë Ångström 日本語' } },
};

let claims: Record<string, unknown> = {};
let nonce: string | undefined;
useProviderMock(
  http.get(`${issuer}/jwks`, () => HttpResponse.json({ keys: [publicJwk] })),
  http.post(`${issuer}/token`, async () => {
    const now = Math.floor(Date.now() / 1000);
    const idToken = await new SignJWT({ ...claims, nonce })
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setIssuer(issuer)
      .setAudience(storedConfig.clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(signing.privateKey);
    return HttpResponse.json({ access_token: 'at', token_type: 'Bearer', id_token: idToken });
  }),
);
beforeEach(() => clearJwksCache());

const signIn = (connector: SocialConnector) =>
  signInOutcome(connector, redirectUri, (url) => {
    nonce = url.searchParams.get('nonce') ?? undefined;
  });

describe('@idplug/connector-oidc against @logto/connector-oidc', () => {
  for (const [name, fixture] of Object.entries(claimSets)) {
    it(`returns the same user for ${name}`, async () => {
      claims = fixture.claims;
      const config = { ...storedConfig, ...fixture.config };
      const official = await officialFactory<SocialConnector>(officialModule)({
        getConfig: async () => config,
      });
      const ours = (await createIdplugOidc({ getConfig: async () => config })) as SocialConnector;
      const [theirs, mine] = [await signIn(official), await signIn(ours)];
      expect('user' in mine, JSON.stringify(mine)).toBe(true);
      expect(profileOf(mine)).toEqual(profileOf(theirs));
    });
  }

  it('sends PKCE where the official connector sent none, and the same scope and nonce parameters', async () => {
    const official = await officialFactory<SocialConnector>(officialModule)({
      getConfig: async () => storedConfig,
    });
    const ours = (await createIdplugOidc({
      getConfig: async () => storedConfig,
    })) as SocialConnector;
    const [theirs, mine] = [
      (await startSocialSignIn(official, { redirectUri })).url,
      (await startSocialSignIn(ours, { redirectUri })).url,
    ];
    expect(theirs.searchParams.has('code_challenge')).toBe(false);
    expect(mine.searchParams.get('code_challenge_method')).toBe('S256');
    for (const parameter of ['client_id', 'redirect_uri', 'response_type', 'state']) {
      expect(mine.searchParams.get(parameter)).toBe(theirs.searchParams.get(parameter));
    }
    expect(mine.searchParams.get('scope')?.split(' ').sort()).toEqual(
      theirs.searchParams.get('scope')?.split(' ').sort(),
    );
  });
});
