import createIdplugGithub from '@idplug/connector-github';
import {
  type GithubEmulator,
  type GithubEmulatorEmail,
  type GithubEmulatorUser,
  startGithubEmulator,
} from '@idplug/emulators';
import { useProviderMock } from '@idplug/testing';
import * as officialModule from '@logto/connector-github';
import type { SocialConnector } from '@logto/connector-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { consoleStoredConfig, officialFactory } from './official-connector';
import {
  type EmulatorRoutes,
  emulatorSignInOutcome,
  forwardToEmulator,
  profileOf,
  type SignInOutcome,
  storedTokensOf,
} from './sign-in-outcome';

/**
 * @logto/connector-github 1.7.5 and @idplug/connector-github against the same GitHub emulator.
 * The official connector calls github.com and api.github.com (msw forwards both to the emulator);
 * ours is pointed at it as a GitHub Enterprise Server (`enterpriseUrl`), its only way to reach
 * another host. Both read `/user` and `/user/emails`; the `id` is GitHub's numeric id as a string.
 *
 * The official connector takes the public profile email, else the verified primary one; it
 * leaves `name` out when GitHub has none. Two documented differences follow, asserted below:
 * ours never returns an address the email list marks unverified (Logto would link accounts by
 * an address nobody proved), and falls back to the `login` for a user without a display name.
 */

const redirectUri = 'http://127.0.0.1:3001/callback/github-universal';
const app = { clientId: 'Iv1.differential0001', clientSecret: 'differential-github-secret-0001' };

const ada: GithubEmulatorUser = {
  id: 1_024_025,
  login: 'ada-l',
  name: 'Ada Lovelace',
  email: null,
  avatar_url: 'https://avatars.githubusercontent.com/u/1024025?v=4',
};
const primary: GithubEmulatorEmail = {
  email: 'ada@example.com',
  primary: true,
  verified: true,
  visibility: 'private',
};
const secondary: GithubEmulatorEmail = {
  email: 'ada@work.example.org',
  primary: false,
  verified: true,
  visibility: null,
};

type Fixture = {
  user: GithubEmulatorUser;
  emails: GithubEmulatorEmail[];
  /** The stored `scope`; without `user:email` GitHub answers `/user/emails` with 404. */
  scope?: string;
  /**
   * A documented difference: what ours returns, from the official connector's profile. Without
   * it, both must return the same id and profile.
   */
  ours?: (official: Record<string, unknown>) => Record<string, unknown>;
};

const fixtures: Record<string, Fixture> = {
  'a private, verified primary email': { user: ada, emails: [primary, secondary] },
  'a public email, also the primary': {
    user: { ...ada, email: primary.email },
    emails: [{ ...primary, visibility: 'public' }],
  },
  'a public email that is a verified secondary': {
    user: { ...ada, email: secondary.email },
    emails: [primary, { ...secondary, visibility: 'public' }],
  },
  'an unverified primary and no public email': {
    user: ada,
    emails: [{ ...primary, verified: false }, secondary],
  },
  'no email at all': { user: ada, emails: [] },
  'no user:email scope, a public email': {
    user: { ...ada, email: primary.email },
    emails: [primary],
    scope: 'read:user',
  },
  'no user:email scope, no public email': { user: ada, emails: [primary], scope: 'read:user' },
  'a unicode display name': { user: { ...ada, name: 'Zoë Ångström 日本語 🦊' }, emails: [primary] },
  'an id above 2^32': { user: { ...ada, id: 2 ** 32 + 7 }, emails: [primary] },
  'the largest safe integer id': {
    user: { ...ada, id: Number.MAX_SAFE_INTEGER },
    emails: [primary],
  },
  'an empty avatar URL': { user: { ...ada, avatar_url: '' }, emails: [primary] },
  // Documented difference: the official connector returns no name; Logto shows the login then.
  'no display name': {
    user: { ...ada, name: null },
    emails: [primary],
    ours: (official) => ({ ...official, name: ada.login }),
  },
  // Documented difference: GitHub only lets a user publish a verified address, but one can lose
  // its verification later; the official connector trusts the profile field, ours the email list.
  'a public email the list marks unverified': {
    user: { ...ada, email: 'ada@lapsed.example.net' },
    emails: [primary, { ...secondary, email: 'ada@lapsed.example.net', verified: false }],
    ours: (official) => ({ ...official, email: primary.email }),
  },
};

const mock = useProviderMock();
let emulator: GithubEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const signInBoth = async (
  fixture: Fixture,
  { storeTokens = false, clientSecret = app.clientSecret } = {},
) => {
  await emulator?.stop();
  emulator = await startGithubEmulator({
    app,
    user: fixture.user,
    emails: fixture.emails,
    autoApprove: true,
  });
  const routes: EmulatorRoutes = {
    'https://github.com/': `${emulator.baseUrl}/`,
    'https://api.github.com/': `${emulator.baseUrl}/api/v3/`,
  };
  mock.use(...forwardToEmulator(routes));
  // As the official console stored it (its form defaults, e.g. Google's `prompts`), verbatim.
  const stored = await consoleStoredConfig(officialModule, {
    ...app,
    clientSecret,
    ...(fixture.scope && { scope: fixture.scope }),
  });
  const official = await officialFactory<SocialConnector>(officialModule)({
    getConfig: async () => stored,
  });
  const ours = (await createIdplugGithub({
    getConfig: async () => ({ ...stored, enterpriseUrl: emulator?.baseUrl }),
  })) as SocialConnector;
  const theirs: SignInOutcome = await emulatorSignInOutcome(
    official,
    redirectUri,
    routes,
    storeTokens,
  );
  const officialRequests = emulator.requests.length;
  const mine: SignInOutcome = await emulatorSignInOutcome(ours, redirectUri, {}, storeTokens);
  return {
    theirs,
    mine,
    officialRequests,
    ourRequests: emulator.requests.length - officialRequests,
  };
};

describe('GitHub: @idplug/connector-github vs @logto/connector-github', () => {
  for (const [name, fixture] of Object.entries(fixtures)) {
    it(`returns the same user for ${name}`, async () => {
      const { theirs, mine, officialRequests, ourRequests } = await signInBoth(fixture);
      expect('user' in theirs, JSON.stringify(theirs)).toBe(true);
      expect('user' in mine, JSON.stringify(mine)).toBe(true);
      const official = profileOf(theirs) as Record<string, unknown>;
      expect(official.id).toBe(String(fixture.user.id));
      expect(profileOf(mine)).toEqual(fixture.ours ? fixture.ours(official) : official);
      // The same round trips: authorize, token, /user, /user/emails.
      expect(ourRequests).toBe(officialRequests);
    });
  }

  it('refuses with both when GitHub refuses the client secret (an answer of status 200)', async () => {
    const { theirs, mine } = await signInBoth(fixtures['a private, verified primary email']!, {
      clientSecret: 'a-rotated-secret',
    });
    expect(theirs).toEqual({ refused: true });
    expect(mine).toEqual({ refused: true });
  });

  it("returns the same user and comparable tokens through Logto's token-storing path", async () => {
    const { theirs, mine } = await signInBoth(fixtures['a private, verified primary email']!, {
      storeTokens: true,
    });
    expect(profileOf(mine)).toEqual(profileOf(theirs));
    expect(storedTokensOf(theirs)).toMatchObject({ hasAccessToken: true, tokenType: 'bearer' });
    expect(storedTokensOf(mine)).toEqual(storedTokensOf(theirs));
  });
});
