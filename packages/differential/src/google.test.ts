import { clearJwksCache } from '@idplug/base';
import createIdplugGoogle, { configureGoogleConnector } from '@idplug/connector-google';
import {
  defaultGoogleEmulatorAccounts,
  type GoogleEmulator,
  type GoogleEmulatorAccount,
  startGoogleEmulator,
} from '@idplug/emulators';
import { useProviderMock } from '@idplug/testing';
import * as officialModule from '@logto/connector-google';
import type { SocialConnector } from '@logto/connector-kit';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { HttpResponse, http } from 'msw';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consoleStoredConfig, officialFactory } from './official-connector';
import {
  type EmulatorRoutes,
  emulatorSignInOutcome,
  forwardToEmulator,
  profileOf,
  storedTokensOf,
} from './sign-in-outcome';

/**
 * @logto/connector-google 1.8.6 and @idplug/connector-google against the same Google emulator.
 * The official connector exchanges the code at oauth2.googleapis.com and reads the userinfo
 * endpoint (openidconnect.googleapis.com; msw forwards all three Google hosts to the emulator);
 * it never reads the ID token. Ours verifies the ID token (issuer, audience, nonce) and reads
 * userinfo only for claims the token lacks; it reaches the emulator through
 * `configureGoogleConnector({ endpoints })`, the default export's code with other URLs. Both must
 * return the same `id` (Google's `sub`), name, avatar (`picture`), and email only when
 * `email_verified`.
 */

const redirectUri = 'http://127.0.0.1:3001/callback/google-universal';
const client = {
  clientId: '000000000000-differential.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-differential-secret-0001',
};
const alice = defaultGoogleEmulatorAccounts[0]!;

type Fixture = {
  account: GoogleEmulatorAccount;
  /** The stored `scope` (the official default is `openid profile email`). */
  scope?: string;
  /** Google leaves the profile claims out of the ID token: ours must read userinfo too. */
  profileClaimsInUserinfoOnly?: boolean;
};

const fixtures: Record<string, Fixture> = {
  'a verified email': { account: alice },
  'an unverified email': { account: { ...alice, email_verified: false } },
  'a unicode name': {
    account: {
      ...alice,
      name: 'Zoë Ångström 日本語 🦊',
      given_name: 'Zoë',
      family_name: 'Ångström',
    },
  },
  'a 21-digit sub beyond 2^64': { account: { ...alice, sub: '999999999999999999999' } },
  'no name and no picture': {
    account: { sub: '104729000000000000001', email: 'np@example.com', email_verified: true },
  },
  'a Workspace account (hd)': {
    account: { ...alice, email: 'alice@corp.example.com', hd: 'corp.example.com' },
  },
  'profile claims only from userinfo': { account: alice, profileClaimsInUserinfoOnly: true },
  'scope without profile': { account: alice, scope: 'openid email' },
  'scope with only openid': { account: alice, scope: 'openid' },
  // Ours adds the `openid` it needs to get an ID token; the user is the same.
  'a stored scope without openid': { account: alice, scope: 'profile email' },
};

const mock = useProviderMock();
let emulator: GoogleEmulator | undefined;
beforeEach(() => clearJwksCache());
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const signInBoth = async (
  fixture: Fixture,
  { storeTokens = false, clientSecret = client.clientSecret } = {},
) => {
  await emulator?.stop();
  emulator = await startGoogleEmulator({
    clients: [client],
    accounts: [fixture.account],
    autoApprove: true,
    profileClaimsInUserinfoOnly: fixture.profileClaimsInUserinfoOnly ?? false,
  });
  const routes: EmulatorRoutes = Object.fromEntries(
    ['accounts.google.com', 'oauth2.googleapis.com', 'openidconnect.googleapis.com'].map((host) => [
      `https://${host}/`,
      `${emulator?.issuer}/`,
    ]),
  );
  mock.use(...forwardToEmulator(routes));
  // As the official console stored it (its form defaults, e.g. Google's `prompts`), verbatim.
  const stored = await consoleStoredConfig(officialModule, {
    ...client,
    clientSecret,
    ...(fixture.scope && { scope: fixture.scope }),
  });
  const official = await officialFactory<SocialConnector>(officialModule)({
    getConfig: async () => stored,
  });
  const ours = (await configureGoogleConnector(emulator.connectorOptions)({
    getConfig: async () => stored,
  })) as SocialConnector;
  return {
    theirs: await emulatorSignInOutcome(official, redirectUri, routes, storeTokens),
    mine: await emulatorSignInOutcome(ours, redirectUri, {}, storeTokens),
  };
};

describe('Google: @idplug/connector-google vs @logto/connector-google', () => {
  for (const [name, fixture] of Object.entries(fixtures)) {
    it(`returns the same user for ${name}`, async () => {
      const { theirs, mine } = await signInBoth(fixture);
      expect('user' in theirs, JSON.stringify(theirs)).toBe(true);
      expect('user' in mine, JSON.stringify(mine)).toBe(true);
      expect(profileOf(theirs)).toMatchObject({ id: fixture.account.sub });
      expect(profileOf(mine)).toEqual(profileOf(theirs));
    });
  }

  it('shows the email only when verified, in both', async () => {
    const verified = await signInBoth(fixtures['a verified email']!);
    const unverified = await signInBoth(fixtures['an unverified email']!);
    expect(profileOf(verified.mine)).toMatchObject({ email: alice.email });
    expect(profileOf(unverified.theirs)).toMatchObject({ email: undefined });
    expect(profileOf(unverified.mine)).toMatchObject({ email: undefined });
  });

  it('refuses with both when Google refuses the client secret', async () => {
    const { theirs, mine } = await signInBoth(fixtures['a verified email']!, {
      clientSecret: 'GOCSPX-rotated',
    });
    expect(theirs).toEqual({ refused: true });
    expect(mine).toEqual({ refused: true });
  });

  it("returns the same user and comparable tokens through Logto's token-storing path", async () => {
    const { theirs, mine } = await signInBoth(fixtures['a verified email']!, { storeTokens: true });
    expect(profileOf(mine)).toEqual(profileOf(theirs));
    expect(storedTokensOf(theirs)).toMatchObject({ hasAccessToken: true, tokenType: 'bearer' });
    expect(storedTokensOf(mine)).toEqual(storedTokensOf(theirs));
    // Documented difference: ours stores the verified ID token too; the official one drops it.
    expect('user' in theirs && theirs.tokenResponse?.id_token).toBeFalsy();
    expect('user' in mine && mine.tokenResponse?.id_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });
});

const signing = await generateKeyPair('RS256');
const jwks = { keys: [{ ...(await exportJWK(signing.publicKey)), kid: 'one-tap', alg: 'RS256' }] };

/**
 * One Tap: Logto hands the connector Google's `credential` (an ID token) instead of a code. Both
 * default exports verify it against Google's real JWKS URL (msw serves a key of this file) with
 * issuer `https://accounts.google.com` or `accounts.google.com` and audience the client ID.
 */
describe('Google One Tap: the same credential through both default exports', () => {
  const credentialOf = async (claims: Record<string, unknown>, lifetime = '10m') =>
    new SignJWT({ iss: 'https://accounts.google.com', aud: client.clientId, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'one-tap', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime(lifetime)
      .sign(signing.privateKey);
  const { sub, email, name, picture } = alice;
  const claims = { sub, email, email_verified: true, name, picture };

  const oneTapBoth = async (credential: string) => {
    mock.use(http.get('https://www.googleapis.com/oauth2/v3/certs', () => HttpResponse.json(jwks)));
    const stored = await consoleStoredConfig(officialModule, client);
    const outcome = async (connector: SocialConnector) =>
      connector
        .getUserInfo({ credential }, async () => ({}))
        .then(
          (user) => ({ user }),
          () => ({ refused: true }) as const,
        );
    return {
      theirs: await outcome(
        await officialFactory<SocialConnector>(officialModule)({ getConfig: async () => stored }),
      ),
      mine: await outcome(
        (await createIdplugGoogle({ getConfig: async () => stored })) as SocialConnector,
      ),
    };
  };

  const accepted: Record<string, Record<string, unknown>> = {
    'a verified email': claims,
    'an unverified email': { ...claims, email_verified: false },
    'the issuer without https://': { ...claims, iss: 'accounts.google.com' },
    'no profile claims': { sub, email, email_verified: true },
  };
  for (const [label, tokenClaims] of Object.entries(accepted)) {
    it(`returns the same user for ${label}`, async () => {
      const { theirs, mine } = await oneTapBoth(await credentialOf(tokenClaims));
      expect('user' in theirs, JSON.stringify(theirs)).toBe(true);
      expect(profileOf(mine)).toEqual(profileOf(theirs));
    });
  }

  const refused: Record<string, () => Promise<string>> = {
    'another audience': () =>
      credentialOf({ ...claims, aud: 'someone-else.apps.googleusercontent.com' }),
    'another issuer': () => credentialOf({ ...claims, iss: 'https://evil.example.com' }),
    'an expired credential': () => credentialOf(claims, '-1h'),
  };
  for (const [label, credential] of Object.entries(refused)) {
    it(`refuses with both: ${label}`, async () => {
      const { theirs, mine } = await oneTapBoth(await credential());
      expect(theirs).toEqual({ refused: true });
      expect(mine).toEqual({ refused: true });
    });
  }

  // Documented difference: the official guard wants a boolean `email_verified` and refuses the
  // whole sign-in; ours reads the string booleans Google's legacy tokeninfo answers carry.
  it('signs in where the official connector refuses a string email_verified', async () => {
    const { theirs, mine } = await oneTapBoth(
      await credentialOf({ ...claims, email_verified: 'true' }),
    );
    expect(theirs).toEqual({ refused: true });
    expect(profileOf(mine)).toEqual({ id: sub, email, name, avatar: picture, phone: undefined });
  });
});
