import { afterEach, describe, expect, it } from 'vitest';
import { type GithubEmulator, startGithubEmulator } from './github-api';
import { type GoogleEmulator, startGoogleEmulator } from './google-api';
import { decideOnPage, pkcePair } from './oauth-emulator-test-kit';
import { authorizeWithBrowser, type OidcEmulator, startOidcEmulator } from './oidc-provider';
import {
  azureAdPersonaAccounts,
  githubPersonaAccount,
  googlePersonaAccounts,
  oidcPersonaAccounts,
  personaLabel,
  personas,
} from './personas';

const redirectUri = 'http://127.0.0.1:3001/callback';
const personaNamed = (key: string) => personas.find((persona) => persona.key === key)!;
let stop: (() => Promise<void>) | undefined;

afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe('the personas', () => {
  it('cover an unverified, a private and a missing email, a phone number and a unicode name', () => {
    expect(personas.some((persona) => persona.email?.verified === false)).toBe(true);
    expect(personas.some((persona) => persona.email?.visibility === 'private')).toBe(true);
    expect(personas.some((persona) => persona.email === undefined && persona.phone)).toBe(true);
    expect(personas.some((persona) => /[^\x20-\x7e]/.test(persona.name))).toBe(true);
    expect(new Set(personas.map((persona) => persona.key)).size).toBe(personas.length);
  });
});

describe('GitHub personas', () => {
  const start = async () => {
    const github = await startGithubEmulator({ otherAccounts: personas.map(githubPersonaAccount) });
    stop = github.stop;
    return github;
  };

  /** Presses a button of the authorization page; returns what the REST API says about the user. */
  const signInAs = async (github: GithubEmulator, decision: 'allow' | { account: string }) => {
    const { verifier, challenge } = pkcePair();
    const url = new URL(github.authorizationEndpoint);
    url.search = new URLSearchParams({
      client_id: github.app.clientId,
      redirect_uri: redirectUri,
      scope: 'read:user user:email',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    const html = await (await fetch(url)).text();
    const callback = await decideOnPage(url, decision);
    const token = (await (
      await fetch(github.tokenEndpoint, {
        method: 'POST',
        headers: { accept: 'application/json' },
        body: new URLSearchParams({
          client_id: github.app.clientId,
          client_secret: github.app.clientSecret,
          code: callback.searchParams.get('code')!,
          redirect_uri: redirectUri,
          code_verifier: verifier,
        }),
      })
    ).json()) as { access_token: string };
    const read = async (path: string) =>
      (
        await fetch(`${github.baseUrl}${path}`, {
          headers: { authorization: `Bearer ${token.access_token}` },
        })
      ).json();
    return { html, user: await read('/api/v3/user'), emails: await read('/api/v3/user/emails') };
  };

  it('offers "Sign in as" for each persona beside the default user', async () => {
    const github = await start();
    const { html, user } = await signInAs(github, 'allow');
    expect(user).toMatchObject({ login: 'alice-gh' });
    for (const persona of personas) {
      expect(html).toContain(`Sign in as ${personaLabel(persona)}`);
    }
  });

  it('signs in as the unverified-email persona: no public email, the address unverified', async () => {
    const { user, emails } = await signInAs(await start(), { account: 'bo-tanaka' });
    expect(user).toMatchObject({ login: 'bo-tanaka', name: 'Bo Tanaka', email: null });
    expect(emails).toEqual([
      { email: 'bo.tanaka@example.net', primary: true, verified: false, visibility: 'public' },
    ]);
  });

  it('signs in as the private-email, no-email and unicode personas', async () => {
    const github = await start();
    const chen = await signInAs(github, { account: 'chen-jing' });
    expect(chen.user).toMatchObject({ email: null });
    expect(chen.emails).toMatchObject([{ visibility: 'private', verified: true }]);
    expect((await signInAs(github, { account: 'dana-okafor' })).emails).toEqual([]);
    expect((await signInAs(github, { account: 'jose-nunez' })).user).toMatchObject({
      name: personaNamed('jose').name,
    });
  });

  it('refuses an account that is not offered', async () => {
    const github = await start();
    const url = new URL(github.authorizationEndpoint);
    url.search = new URLSearchParams({
      client_id: github.app.clientId,
      redirect_uri: redirectUri,
    }).toString();
    await expect(decideOnPage(url, { account: 'mallory' })).rejects.toThrow(/answered 400/);
  });
});

describe('OpenID Provider personas', () => {
  const client = {
    clientId: 'persona-client',
    clientSecret: 'persona-client-secret-of-at-least-32-characters',
    redirectUris: [redirectUri],
  };
  const start = async (): Promise<OidcEmulator> => {
    const oidc = await startOidcEmulator({
      clients: [client],
      accounts: oidcPersonaAccounts(),
      requirePkce: false,
    });
    stop = oidc.stop;
    return oidc;
  };

  const userinfoOf = async (oidc: OidcEmulator, accountId: string) => {
    const url = new URL(oidc.authorizationEndpoint);
    url.search = new URLSearchParams({
      client_id: client.clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid profile email phone',
    }).toString();
    const callback = await authorizeWithBrowser(url, { accountId });
    const tokens = (await (
      await fetch(oidc.tokenEndpoint, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: callback.code!,
          redirect_uri: redirectUri,
        }),
      })
    ).json()) as { access_token: string };
    return (await (
      await fetch(oidc.userinfoEndpoint, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      })
    ).json()) as Record<string, unknown>;
  };

  it('releases an unverified email as such, no private email, and a phone number instead', async () => {
    const oidc = await start();
    expect(await userinfoOf(oidc, 'persona-bo')).toMatchObject({
      email: 'bo.tanaka@example.net',
      email_verified: false,
    });
    const chen = await userinfoOf(oidc, 'persona-chen');
    expect(chen).not.toHaveProperty('email');
    expect(chen).toMatchObject({ name: 'Chen Jing' });
    const dana = await userinfoOf(oidc, 'persona-dana');
    expect(dana).not.toHaveProperty('email');
    expect(dana).toMatchObject({ phone_number: '+15555550123', phone_number_verified: true });
    expect(await userinfoOf(oidc, 'persona-jose')).toMatchObject({ name: 'José Núñez 名前' });
  });

  it('says on the sign-in page what sets each persona apart', async () => {
    const oidc = await start();
    const url = new URL(oidc.authorizationEndpoint);
    url.search = new URLSearchParams({
      client_id: client.clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid',
    }).toString();
    // Follow to the login page with the interaction cookie, as a browser would.
    const first = await fetch(url, { redirect: 'manual' });
    const cookie = first.headers
      .getSetCookie()
      .map((value) => value.split(';')[0])
      .join('; ');
    const page = await (
      await fetch(new URL(first.headers.get('location')!, oidc.issuer), { headers: { cookie } })
    ).text();
    expect(page).toContain('Bo Tanaka · bo.tanaka@example.net · email not verified');
    expect(page).toContain('Dana Okafor · dana-okafor · no email, phone +15555550123');
    expect(page).toContain('Chen Jing · chen-jing · no email released');
  });
});

describe('Google personas', () => {
  it('has every persona with an address, and marks the unverified one on the chooser', async () => {
    const accounts = googlePersonaAccounts();
    expect(accounts.map((account) => account.email)).toEqual(
      personas.flatMap((persona) => (persona.email ? [persona.email.address] : [])),
    );
    const google: GoogleEmulator = await startGoogleEmulator({ accounts });
    stop = google.stop;
    const url = new URL(google.authorizationEndpoint);
    url.search = new URLSearchParams({
      client_id: google.clients[0]!.clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid email',
    }).toString();
    const page = await (await fetch(url)).text();
    expect(page).toContain('bo.tanaka@example.net · email not verified');
    expect(page).not.toContain('ada.lovelace@example.com · email not verified');
  });
});

describe('Entra ID personas', () => {
  it('have no mailbox for the private and no-email personas, a mobile phone for the phone one', () => {
    const accounts = Object.values(azureAdPersonaAccounts());
    expect(accounts).toHaveLength(personas.length);
    const byName = (name: string) => accounts.find((account) => account.displayName === name)!;
    expect(byName('Chen Jing').mail).toBeNull();
    expect(byName('Dana Okafor')).toMatchObject({ mail: null, mobilePhone: '+15555550123' });
    expect(byName('Bo Tanaka')).toMatchObject({
      mail: 'bo.tanaka@example.net',
      emailDomainVerified: false,
    });
    expect(new Set(accounts.map((account) => account.oid)).size).toBe(accounts.length);
  });
});
