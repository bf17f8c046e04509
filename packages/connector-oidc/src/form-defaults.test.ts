import { describe, expect, it } from 'vitest';
import { oidcConfigGuard } from './config';
import { metadata } from './constants';

/** What Logto's console saves when the operator fills only `filled` and keeps every default. */
const consoleConfig = (filled: Record<string, unknown>) => ({
  ...Object.fromEntries(
    (metadata.formItems ?? [])
      .filter((item) => item.defaultValue !== undefined)
      .map((item) => [item.key, item.defaultValue]),
  ),
  ...filled,
});

const client = { clientId: 'client-id', clientSecret: 'client-secret' };

describe('the console form defaults', () => {
  it('save as a valid config with an issuer and the client filled in', () => {
    const parsed = oidcConfigGuard.safeParse(
      consoleConfig({ issuer: 'https://idp.example.com', ...client }),
    );
    expect(parsed.success, parsed.success ? '' : parsed.error.message).toBe(true);
  });

  it('save as a valid config with explicit endpoints once the JWKS URI is filled in', () => {
    const parsed = oidcConfigGuard.safeParse(
      consoleConfig({
        authorizationEndpoint: 'https://idp.example.com/authorize',
        tokenEndpoint: 'https://idp.example.com/token',
        idTokenVerificationConfig: { jwksUri: 'https://idp.example.com/jwks' },
        ...client,
      }),
    );
    expect(parsed.success, parsed.success ? '' : parsed.error.message).toBe(true);
  });

  it('prefill no placeholder the guard refuses, unlike the official `<jwks-uri>`', () => {
    const item = metadata.formItems?.find(({ key }) => key === 'idTokenVerificationConfig');
    expect(item?.defaultValue).toEqual({});
    const official = oidcConfigGuard.safeParse(
      consoleConfig({
        issuer: 'https://idp.example.com',
        idTokenVerificationConfig: { jwksUri: '<jwks-uri>' },
        ...client,
      }),
    );
    expect(official.success).toBe(false);
  });

  it('without an issuer or a JWKS URI, name the missing jwksUri', () => {
    const parsed = oidcConfigGuard.safeParse(
      consoleConfig({
        authorizationEndpoint: 'https://idp.example.com/authorize',
        tokenEndpoint: 'https://idp.example.com/token',
        ...client,
      }),
    );
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map(({ path }) => path.join('.'))).toEqual([
      'idTokenVerificationConfig.jwksUri',
    ]);
  });
});
