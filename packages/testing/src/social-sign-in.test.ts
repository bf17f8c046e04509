import type { SocialConnector } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';
import { completeSocialSignIn, startSocialSignIn } from './social-sign-in';

/** Keeps the request in the session and echoes it back as the user. */
const echoConnector = {
  getAuthorizationUri: async (request, setSession) => {
    await setSession({ request });
    const url = new URL('https://idp.example.com/authorize');
    url.searchParams.set('state', request.state);
    url.searchParams.set('redirect_uri', request.redirectUri);
    if (request.scope !== undefined) {
      url.searchParams.set('scope', request.scope);
    }
    return url.toString();
  },
  getUserInfo: async (callback, getSession) => ({
    id: JSON.stringify({ callback, session: await getSession() }),
  }),
} as Pick<SocialConnector, 'getAuthorizationUri' | 'getUserInfo'> as SocialConnector;

describe('social sign-in helpers', () => {
  it('starts a sign-in with a fresh session holding what the connector stored', async () => {
    const { url, session } = await startSocialSignIn(echoConnector, {
      redirectUri: 'https://logto.test/cb',
      scope: 'openid',
      connectorFactoryId: 'custom',
    });
    expect(url.searchParams.get('redirect_uri')).toBe('https://logto.test/cb');
    expect(url.searchParams.get('state')).toBe('state-1');
    expect(url.searchParams.get('scope')).toBe('openid');
    expect(session.current.request).toMatchObject({ connectorFactoryId: 'custom' });
  });

  it('sends no scope unless one is given', async () => {
    const { url, session } = await startSocialSignIn(echoConnector);
    expect(url.searchParams.has('scope')).toBe(false);
    expect(session.current.request).not.toHaveProperty('scope');
  });

  it('completes the sign-in with the callback and the session of its own start', async () => {
    const user = await completeSocialSignIn(echoConnector, { code: 'c' }, { state: 's-2' });
    expect(JSON.parse(user.id)).toMatchObject({
      callback: { code: 'c' },
      session: { request: { state: 's-2' } },
    });
  });
});
