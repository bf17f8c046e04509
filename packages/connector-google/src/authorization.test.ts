import { createHash } from 'node:crypto';
import { ConnectorErrorCodes } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';
import { googleConfigGuard } from './config';
import {
  clientId,
  connectorWith,
  expectConnectorError,
  redirectUri,
  startSignIn,
  validConfig,
} from './google-test-kit';

describe('the authorization request', () => {
  it('sends the code flow with PKCE S256, a nonce, state and the default scope', async () => {
    const connector = await connectorWith();
    const query = await startSignIn(connector);

    expect(query.get('response_type')).toBe('code');
    expect(query.get('client_id')).toBe(clientId);
    expect(query.get('redirect_uri')).toBe(redirectUri);
    expect(query.get('state')).toBe('state-value');
    expect(query.get('scope')).toBe('openid profile email');
    expect(query.get('code_challenge_method')).toBe('S256');

    const { codeVerifier, nonce } = connector.session as { codeVerifier: string; nonce: string };
    expect(query.get('code_challenge')).toBe(
      createHash('sha256').update(codeVerifier).digest('base64url'),
    );
    expect(nonce).toMatch(/^[\w-]{20,}$/);
    expect(query.get('nonce')).toBe(nonce);
    expect(connector.session.redirectUri).toBe(redirectUri);
    // Nothing Google does not need: no prompt, no offline access, no hint.
    for (const absent of ['prompt', 'access_type', 'hd', 'login_hint']) {
      expect(query.has(absent)).toBe(false);
    }
  });

  it('uses a fresh nonce and PKCE verifier for every sign-in', async () => {
    const first = await connectorWith();
    const second = await connectorWith();
    const [firstQuery, secondQuery] = [await startSignIn(first), await startSignIn(second)];
    expect(firstQuery.get('nonce')).not.toBe(secondQuery.get('nonce'));
    expect(firstQuery.get('code_challenge')).not.toBe(secondQuery.get('code_challenge'));
  });

  it('always requests openid, with the configured scope and with a scope named by the request', async () => {
    const configured = await connectorWith({ ...validConfig, scope: 'email profile' });
    expect((await startSignIn(configured)).get('scope')).toBe('openid email profile');

    const requested = await connectorWith();
    expect(
      (
        await startSignIn(requested, { scope: 'https://www.googleapis.com/auth/drive.readonly' })
      ).get('scope'),
    ).toBe('openid https://www.googleapis.com/auth/drive.readonly');
  });

  it('treats a blank configured scope as the default scope', async () => {
    const connector = await connectorWith({ ...validConfig, scope: '  ' });
    expect((await startSignIn(connector)).get('scope')).toBe('openid profile email');
  });

  it('sends the configured prompts, once each', async () => {
    const connector = await connectorWith({
      ...validConfig,
      prompts: ['select_account', 'consent', 'select_account'],
    });
    expect((await startSignIn(connector)).get('prompt')).toBe('select_account consent');
  });

  it('with offlineAccess sends access_type=offline and adds consent to the prompts', async () => {
    const alone = await connectorWith({ ...validConfig, offlineAccess: true });
    const aloneQuery = await startSignIn(alone);
    expect(aloneQuery.get('access_type')).toBe('offline');
    expect(aloneQuery.get('prompt')).toBe('consent');

    const withChooser = await connectorWith({
      ...validConfig,
      offlineAccess: true,
      prompts: ['select_account'],
    });
    expect((await startSignIn(withChooser)).get('prompt')).toBe('select_account consent');

    const withConsent = await connectorWith({
      ...validConfig,
      offlineAccess: true,
      prompts: ['consent'],
    });
    expect((await startSignIn(withConsent)).get('prompt')).toBe('consent');
  });

  it('with offlineAccess and prompt none keeps none alone (no screen may be shown)', async () => {
    const connector = await connectorWith({
      ...validConfig,
      offlineAccess: true,
      prompts: ['none'],
    });
    const query = await startSignIn(connector);
    expect(query.get('prompt')).toBe('none');
    expect(query.get('access_type')).toBe('offline');
  });

  it('sends the configured hosted domain as the hd hint', async () => {
    const connector = await connectorWith({ ...validConfig, hd: 'Example.COM' });
    expect((await startSignIn(connector)).get('hd')).toBe('example.com');
    const anyWorkspace = await connectorWith({ ...validConfig, hd: '*' });
    expect((await startSignIn(anyWorkspace)).get('hd')).toBe('*');
  });

  it('passes a login hint the caller supplies through as login_hint', async () => {
    const connector = await connectorWith();
    expect((await startSignIn(connector, { loginHint: 'ada@example.com' })).get('login_hint')).toBe(
      'ada@example.com',
    );
    expect(
      (await startSignIn(connector, { login_hint: '110169484474386276334' })).get('login_hint'),
    ).toBe('110169484474386276334');
  });

  it('drops a login hint that is not a short single-line string', async () => {
    const connector = await connectorWith();
    for (const loginHint of ['ada@example.com\r\nx', 'a'.repeat(321), 42, '   ']) {
      expect((await startSignIn(connector, { loginHint })).has('login_hint')).toBe(false);
    }
  });

  it('never lets a request field override the state, redirect URI or nonce', async () => {
    const connector = await connectorWith();
    const query = await startSignIn(connector, {
      loginHint: 'ada@example.com',
      nonce: 'attacker-nonce',
      code_challenge: 'attacker',
    });
    expect(query.get('nonce')).toBe(connector.session.nonce);
    expect(query.get('code_challenge')).not.toBe('attacker');
    expect(query.get('redirect_uri')).toBe(redirectUri);
  });
});

describe('config validation', () => {
  it('accepts every config the official connector accepts', () => {
    const official = {
      clientId,
      clientSecret: 'client-secret-value',
      scope: 'openid profile email',
      prompts: ['select_account', 'login'],
      oneTap: { isEnabled: true, autoSelect: true, closeOnTapOutside: false, itpSupport: true },
      offlineAccess: true,
    };
    const parsed = googleConfigGuard.parse(official);
    expect(parsed).toEqual(official);
  });

  it('refuses none combined with another prompt with a readable invalid_config', async () => {
    const connector = await connectorWith({ ...validConfig, prompts: ['none', 'consent'] });
    const error = await expectConnectorError(
      startSignIn(connector),
      ConnectorErrorCodes.InvalidConfig,
    );
    expect(error.message).toContain('prompts: `none` cannot be combined with other prompts');
    expect(error.message).toContain('none, consent');
  });

  it('refuses a prompt Google does not know', async () => {
    const connector = await connectorWith({ ...validConfig, prompts: ['always'] });
    const error = await expectConnectorError(
      startSignIn(connector),
      ConnectorErrorCodes.InvalidConfig,
    );
    expect(error.message).toContain('prompts[0]');
  });

  it('refuses a hosted domain that is not a domain name', async () => {
    const connector = await connectorWith({ ...validConfig, hd: 'https://example.com' });
    const error = await expectConnectorError(
      startSignIn(connector),
      ConnectorErrorCodes.InvalidConfig,
    );
    expect(error.message).toContain('hd: must be a domain name');
  });

  it('names the missing client secret without echoing the client id', async () => {
    const connector = await connectorWith({ clientId });
    const error = await expectConnectorError(
      startSignIn(connector),
      ConnectorErrorCodes.InvalidConfig,
    );
    expect(error.message).toContain('clientSecret: Required');
  });
});
