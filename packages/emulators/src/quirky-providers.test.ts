import { afterEach, describe, expect, it } from 'vitest';
import { type NestedProfileEmulator, startNestedProfileEmulator } from './nested-profile';
import type { OAuthEmulator } from './oauth-app-emulator';
import { startTwitchEmulator, type TwitchEmulator } from './twitch';

/** The quirky providers' own answers, over loopback HTTP, with tokens minted without a browser. */

let emulator: OAuthEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const twitchStart = async (): Promise<TwitchEmulator> => {
  const twitch = await startTwitchEmulator();
  emulator = twitch;
  return twitch;
};
const nestedStart = async (): Promise<NestedProfileEmulator> => {
  const nested = await startNestedProfileEmulator();
  emulator = nested;
  return nested;
};

describe('Twitch emulator', () => {
  it('answers /helix/users only with the app’s Client-Id beside the token', async () => {
    const twitch = await twitchStart();
    const token = twitch.issueAccessToken(['user:read:email']);
    const call = (headers: Record<string, string>) =>
      fetch(twitch.usersEndpoint, { headers: { authorization: `Bearer ${token}`, ...headers } });
    expect((await call({})).status).toBe(401);
    expect((await call({ 'client-id': 'another-app' })).status).toBe(401);
    const answer = await call({ 'Client-Id': twitch.app.clientId });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({
      data: [{ id: twitch.user.id, email: twitch.user.email }],
    });
  });

  it('leaves the email out without user:read:email, and refuses a bad token', async () => {
    const twitch = await twitchStart();
    const headers = { 'client-id': twitch.app.clientId };
    const answer = await fetch(twitch.usersEndpoint, {
      headers: { ...headers, authorization: `Bearer ${twitch.issueAccessToken([])}` },
    });
    const body = (await answer.json()) as { data: Array<Record<string, unknown>> };
    expect(body.data[0]).not.toHaveProperty('email');
    const bad = await fetch(twitch.usersEndpoint, {
      headers: { ...headers, authorization: 'Bearer not-issued' },
    });
    expect(bad.status).toBe(401);
  });
});

describe('nested profile emulator', () => {
  it('answers the nested profile by GET and the list profile by POST only', async () => {
    const nested = await nestedStart();
    const authorization = `Bearer ${nested.issueAccessToken([])}`;
    const me = await fetch(nested.nestedProfileEndpoint, { headers: { authorization } });
    expect(await me.json()).toMatchObject({
      data: {
        id: nested.user.id,
        attributes: { email: nested.user.email, email_verified: 'true' },
      },
    });
    const posted = await fetch(nested.listProfileEndpoint, {
      method: 'POST',
      headers: { authorization },
    });
    expect(await posted.json()).toMatchObject({
      user_id: nested.user.id,
      emails: [{ value: nested.user.email, verified: true }, { verified: false }],
    });
    const got = await fetch(nested.listProfileEndpoint, { headers: { authorization } });
    expect(got.status).toBe(404);
    const anonymous = await fetch(nested.nestedProfileEndpoint);
    expect(anonymous.status).toBe(401);
  });
});
