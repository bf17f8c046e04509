import { join } from 'node:path';
import { SecretRedactor } from '@idplug/base';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DiscoveredConnector, loadConnector, workspacePackagesDirectory } from './discovery';
import { logtoConfigJson, renderRunPanels } from './run-panels';

/** The panels beside a run's result: the config for Logto, the refresh, the timeline. */

let oidc: DiscoveredConnector;
let smtp: DiscoveredConnector;

beforeAll(async () => {
  [oidc, smtp] = await Promise.all([
    loadConnector(join(workspacePackagesDirectory(), 'connector-oidc')),
    loadConnector(join(workspacePackagesDirectory(), 'connector-smtp')),
  ]);
});

const oidcConfig = {
  clientId: 'playground-oidc',
  clientSecret: 'playground-oidc-client-secret-of-32-chars-or-more',
  issuer: 'http://127.0.0.1:4000',
  scope: 'openid profile email',
  tokenEndpointAuthMethod: 'private_key_jwt',
  clientSecretJwtSigningAlgorithm: 'HS256',
  clientPrivateKey:
    '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----',
};

const smtpConfig = {
  host: '127.0.0.1',
  port: 2525,
  auth: { user: 'playground', pass: 'playground-smtp-password' },
  fromEmail: 'no-reply@example.com',
};

/** What base's redactor takes for secret in a config: values under secret keys, confidential items. */
const holdsConfigSecret = (
  connector: DiscoveredConnector,
  config: Record<string, unknown>,
  text: string,
) => new SecretRedactor().addConfig(config, connector.metadata.formItems).holdsSecret(text);

describe('Copy config for Logto', () => {
  it.each([
    ['oidc', () => oidc, oidcConfig],
    ['smtp', () => smtp, smtpConfig],
  ] as const)(
    'masks every secret of a %s config until revealed, then gives the validated config itself',
    (_name, connectorOf, config) => {
      const connector = connectorOf();
      const masked = logtoConfigJson(connector, config, false);
      expect(holdsConfigSecret(connector, config, masked)).toBe(false);
      expect(masked).toContain('masked');
      // What is not secret stays readable (an algorithm's name is not a secret).
      expect(JSON.parse(masked)).toMatchObject(
        'issuer' in config
          ? { clientId: config.clientId, clientSecretJwtSigningAlgorithm: 'HS256' }
          : { host: config.host, auth: { user: config.auth.user } },
      );
      const revealed = logtoConfigJson(connector, config, true);
      expect(JSON.parse(revealed)).toEqual(config);
    },
  );

  it('renders the masked JSON with a copy button and a reveal control, and the secret only once revealed', () => {
    const masked = renderRunPanels(oidc, { logtoConfig: oidcConfig }, undefined);
    expect(masked).toContain('data-testid="logto-config"');
    expect(masked).toContain('data-testid="copy-config"');
    expect(masked).toContain('value="reveal-config"');
    expect(masked).not.toContain(oidcConfig.clientSecret);
    const revealed = renderRunPanels(
      oidc,
      { logtoConfig: oidcConfig, revealConfig: true },
      undefined,
    );
    expect(revealed).toContain(oidcConfig.clientSecret);
    expect(revealed).toContain('value="hide-config"');
  });
});

describe('the refresh and timeline panels', () => {
  it('explains why a refresh is unavailable instead of hiding it', () => {
    const html = renderRunPanels(
      oidc,
      { refresh: { available: false, reason: 'the <emulator> returned no refresh_token.' } },
      undefined,
    );
    expect(html).toContain('data-testid="refresh-unavailable"');
    expect(html).toContain('the &#60;emulator&#62; returned no refresh_token.');
    expect(html).not.toContain('data-testid="refresh-form"');
  });

  it('offers the refresh when the sign-in stored a refresh token, without showing it', () => {
    const html = renderRunPanels(
      oidc,
      {
        refresh: {
          available: true,
          config: oidcConfig,
          refreshToken: 'refresh-token-0123456789',
          secrets: [],
        },
      },
      undefined,
    );
    expect(html).toContain('value="refresh"');
    expect(html).not.toContain('refresh-token-0123456789');
  });

  it('shows an SMTP send’s conversation in the timeline, or how to record it', () => {
    const withLog = renderRunPanels(smtp, { timeline: { calls: ['sendMessage'], exchanges: [] } }, [
      'C: EHLO [127.0.0.1]',
      'S: 250 OK',
    ]);
    expect(withLog).toContain('data-testid="connector-log"');
    expect(withLog).toContain('C: EHLO [127.0.0.1]');
    const withoutLog = renderRunPanels(
      smtp,
      { timeline: { calls: ['sendMessage'], exchanges: [] } },
      undefined,
    );
    expect(withoutLog).toContain('switch on Logger and Debug');
  });

  it('escapes what a provider sent in a timeline entry', () => {
    const html = renderRunPanels(
      oidc,
      {
        timeline: {
          calls: ['getUserInfo'],
          exchanges: [
            {
              provider: 'Provider',
              purpose: 'userinfo',
              method: 'GET',
              url: 'http://127.0.0.1:1/me?<script>',
              attempt: 2,
              startedAt: 10,
              durationMs: 3,
              request: { headers: { accept: 'application/json' } },
              response: { status: 502, headers: {}, body: { text: '<h1>Bad gateway</h1>' } },
            },
          ],
        },
      },
      undefined,
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<h1>Bad');
    expect(html).toContain('data-status="502"');
    expect(html).toContain('attempt 2');
  });
});
