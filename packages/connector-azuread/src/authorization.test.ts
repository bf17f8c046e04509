import { startSocialSignIn } from '@idplug/testing';
import { describe, expect, it } from 'vitest';
import { configFor, expectConnectorError, load, tenantId } from './azuread-test-kit';

const authorizationUrl = async (overrides: Record<string, unknown> = {}, scope?: string) =>
  startSocialSignIn(await load(configFor(overrides)), {
    redirectUri: 'https://logto.example.com/callback',
    ...(scope !== undefined && { scope }),
  });

describe('Microsoft Entra ID authorization request', () => {
  it("goes to the tenant's v2.0 authorize endpoint with the official scopes, PKCE S256 and a nonce", async () => {
    const { url, session } = await authorizationUrl({ scopes: 'Mail.Read', prompts: ['login'] });
    expect(`${url.origin}${url.pathname}`).toBe(
      `https://login.microsoftonline.com/${tenantId}/oauth2/v2.0/authorize`,
    );
    const query = url.searchParams;
    // The official connector's scope: User.Read, the configured scopes, then MSAL's OIDC scopes.
    expect(query.get('scope')).toBe('User.Read Mail.Read openid profile offline_access');
    expect(query.get('response_type')).toBe('code');
    expect(query.get('prompt')).toBe('login');
    expect(query.get('code_challenge_method')).toBe('S256');
    expect(query.get('nonce')).toBe(session.current.nonce);
    expect(session.current.codeVerifier).toEqual(expect.any(String));
  });

  it('does not repeat User.Read, and lets the sign-in request replace the scope', async () => {
    expect(
      (await authorizationUrl({ scopes: 'User.Read  email' })).url.searchParams.get('scope'),
    ).toBe('User.Read email openid profile offline_access');
    expect((await authorizationUrl({}, 'api://app/read')).url.searchParams.get('scope')).toBe(
      'api://app/read openid profile offline_access',
    );
  });

  it.each([
    ['common', 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize'],
    ['Organizations', 'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize'],
    [
      'contoso.onmicrosoft.com',
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize',
    ],
  ])('builds the authority of tenant %s', async (tenant, endpoint) => {
    const { url } = await authorizationUrl({ tenantId: tenant });
    expect(`${url.origin}${url.pathname}`).toBe(endpoint);
  });

  it.each([
    ['https://login.microsoftonline.us/', 'https://login.microsoftonline.us'],
    ['https://login.chinacloudapi.cn', 'https://login.chinacloudapi.cn'],
    ['', 'https://login.microsoftonline.com'],
    // A host named like an Object.prototype member is just an unknown cloud.
    ['https://constructor', 'https://constructor'],
  ])('uses the cloud instance %j', async (cloudInstance, origin) => {
    const { url } = await authorizationUrl({ cloudInstance });
    expect(`${url.origin}${url.pathname}`).toBe(`${origin}/${tenantId}/oauth2/v2.0/authorize`);
  });

  it.each([
    [{ tenantId: 'not a tenant/../x' }, 'tenantId'],
    [{ tenantId: '' }, 'tenantId'],
    [{ cloudInstance: 'login.microsoftonline.com' }, 'cloudInstance'],
    [{ cloudInstance: 'http://login.microsoftonline.com' }, 'cloudInstance'],
    [{ prompts: ['sometimes'] }, 'prompts'],
    [{ subjectSource: 'email' }, 'subjectSource'],
    [{ clientSecret: '' }, 'clientSecret'],
  ])('refuses the config %j as invalid_config naming the key', async (overrides, key) => {
    const error = await expectConnectorError(authorizationUrl(overrides), 'invalid_config');
    expect(JSON.stringify(error.data)).toContain(key);
  });
});
