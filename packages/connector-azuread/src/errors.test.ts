import { useProviderMock } from '@idplug/testing';
import type { ConnectorErrorCodes } from '@logto/connector-kit';
import { HttpResponse, http } from 'msw';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  clearCaches,
  clientSecret,
  configFor,
  createSigningKey,
  entraClaims,
  entraHandlers,
  expectConnectorError,
  graphMe,
  graphUser,
  load,
  type ProviderState,
  type SigningKey,
  signIn,
  tenantId,
} from './azuread-test-kit';

let key: SigningKey;
let state: ProviderState;
const mock = useProviderMock(...entraHandlers(() => state));
const tokenUrl = `https://login.microsoftonline.com/${tenantId}/oauth2/v2.0/token`;

beforeAll(async () => {
  key = await createSigningKey();
});
beforeEach(() => {
  clearCaches();
  state = { key, claims: entraClaims(tenantId), me: graphUser(), tokenExtras: {} };
});

/** Microsoft's token endpoint error body: the AADSTS code, then trace and correlation ids. */
const microsoftError = (error: string, code: number, text: string) => ({
  error,
  error_description: `AADSTS${code}: ${text}\r\nTrace ID: 0d1c2b3a-0000-4000-8000-000000000000\r\nCorrelation ID: 11111111-2222-4333-8444-555555555555\r\nTimestamp: 2026-12-01 01:00:00Z`,
  error_codes: [code],
  timestamp: '2026-12-01 01:00:00Z',
  trace_id: '0d1c2b3a-0000-4000-8000-000000000000',
  correlation_id: '11111111-2222-4333-8444-555555555555',
  error_uri: `https://login.microsoftonline.com/error?code=${code}`,
});

const tokenAnswers = (body: Record<string, unknown>, status = 400) =>
  mock.use(http.post(tokenUrl, () => HttpResponse.json(body, { status })));

const signInError = async (code: `${ConnectorErrorCodes}`, callback?: Record<string, string>) =>
  expectConnectorError(signIn(await load(), state, callback), code);

describe("Microsoft's error table", () => {
  it('reports an expired code (AADSTS70008) as social_auth_code_invalid', async () => {
    tokenAnswers(
      microsoftError(
        'invalid_grant',
        70008,
        'The provided authorization code or refresh token has expired due to inactivity.',
      ),
    );
    const error = await signInError('social_auth_code_invalid');
    expect(error.data).toMatchObject({ providerCode: 'AADSTS70008', provider: 'Microsoft' });
  });

  it('reports a redeemed code (AADSTS54005) as social_auth_code_invalid', async () => {
    tokenAnswers(
      microsoftError('invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed.'),
    );
    await signInError('social_auth_code_invalid');
  });

  it('reports a wrong client secret (AADSTS7000215) as invalid_config, pointing at the Value', async () => {
    tokenAnswers(microsoftError('invalid_client', 7000215, 'Invalid client secret provided.'), 401);
    const error = await signInError('invalid_config');
    expect(error.message).toContain("client secret's Value");
    expect(error.data).toMatchObject({ providerCode: 'AADSTS7000215' });
  });

  it('reports a user outside the tenant (AADSTS50020) as authorization_failed with the message', async () => {
    const text =
      "User account 'ada@fabrikam.example' from identity provider 'live.com' does not exist in tenant 'Contoso' and cannot access the application.";
    tokenAnswers(microsoftError('invalid_grant', 50020, text));
    const error = await signInError('authorization_failed');
    expect(error.message).toContain(`AADSTS50020: ${text}`);
    expect(error.message).not.toContain('Trace ID');
  });

  it('reads the AADSTS code of an error callback too', async () => {
    const error = await signInError('authorization_failed', {
      error: 'access_denied',
      error_description:
        'AADSTS50105: The signed in user is not assigned to a role for the application.',
    });
    expect(error.data).toMatchObject({ providerCode: 'AADSTS50105' });
    expect(mock.requests).toHaveLength(0);
  });

  it('reports a redirect URI mismatch (AADSTS50011) as invalid_config', async () => {
    tokenAnswers(microsoftError('invalid_request', 50011, 'The redirect URI does not match.'));
    await signInError('invalid_config');
  });

  it('falls back to the OAuth mapping for codes it does not list', async () => {
    tokenAnswers(microsoftError('invalid_grant', 9999999, 'Something new.'));
    await signInError('social_auth_code_invalid');
  });

  it('reports an unknown domain tenant (AADSTS90002) as invalid_config', async () => {
    mock.use(
      http.get(
        'https://login.microsoftonline.com/nobody.example/v2.0/.well-known/openid-configuration',
        () =>
          HttpResponse.json(
            microsoftError('invalid_tenant', 90002, "Tenant 'nobody.example' not found."),
            { status: 400 },
          ),
      ),
    );
    const error = await expectConnectorError(
      signIn(await load(configFor({ tenantId: 'nobody.example' })), state),
      'invalid_config',
    );
    expect(error.message).toContain('tenantId');
  });

  it('reports a refused Graph token as social_invalid_access_token', async () => {
    mock.use(
      http.get(graphMe, () =>
        HttpResponse.json(
          { error: { code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed.' } },
          { status: 401 },
        ),
      ),
    );
    await signInError('social_invalid_access_token');
  });

  it("reports Graph's own error (403 without User.Read) as general with its code and a hint", async () => {
    mock.use(
      http.get(graphMe, () =>
        HttpResponse.json(
          {
            error: {
              code: 'Authorization_RequestDenied',
              message: 'Insufficient privileges to complete the operation.',
            },
          },
          { status: 403 },
        ),
      ),
    );
    const error = await signInError('general');
    expect(error.message).toContain('Authorization_RequestDenied');
    expect(error.message).toContain('User.Read');
    expect(error.data).toMatchObject({ status: 403, providerCode: 'Authorization_RequestDenied' });
  });

  it('reports Graph throttling as rate_limit_exceeded with the retry-after', async () => {
    mock.use(
      http.get(graphMe, () =>
        HttpResponse.json(
          { error: { code: 'TooManyRequests', message: 'Too many requests.' } },
          { status: 429, headers: { 'retry-after': '30' } },
        ),
      ),
    );
    const error = await signInError('rate_limit_exceeded');
    expect(error.data).toMatchObject({ retryAfter: 30 });
  });

  it('reports a Graph answer without an id as invalid_response', async () => {
    state.me = { displayName: 'No Id' };
    await signInError('invalid_response');
  });

  it('reports a refresh with an expired refresh token as social_auth_code_invalid', async () => {
    tokenAnswers(microsoftError('invalid_grant', 70008, 'The refresh token has expired.'));
    const connector = await load();
    await expectConnectorError(
      connector.getAccessTokenByRefreshToken!('1.AXoA-refresh-token'),
      'social_auth_code_invalid',
    );
  });

  it('never shows the client secret, even when Microsoft echoes it', async () => {
    tokenAnswers(
      microsoftError('invalid_client', 7000215, `Invalid client secret ${clientSecret}.`),
      401,
    );
    const error = await signInError('invalid_config');
    expect(JSON.stringify(error.data)).toContain('[redacted]');
  });
});
