import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  authorizationCodeFlowConfigFields,
  clientSecretConfigFields,
  customConfigField,
  pkceConfigField,
  privateKeyJwtConfigFields,
  standardClientFormItems,
  standardFlowFormItems,
  timeoutConfigField,
  tokenRequestParametersConfigField,
  userInfoEndpointMethodConfigField,
} from './standard-connector-config';

const guard = z.object({
  ...authorizationCodeFlowConfigFields,
  clientId: z.string().min(1),
  ...clientSecretConfigFields,
  ...privateKeyJwtConfigFields,
  customConfig: customConfigField,
  pkce: pkceConfigField,
  tokenRequestParameters: tokenRequestParametersConfigField,
  userInfoEndpointMethod: userInfoEndpointMethodConfigField('How user info is requested.'),
  timeout: timeoutConfigField('Milliseconds per call.'),
});

describe('standard OAuth connector config', () => {
  it('fills the official defaults: code flow, client_secret_post, HS256, PKCE on, GET', () => {
    expect(guard.parse({ clientId: 'client' })).toEqual({
      responseType: 'code',
      grantType: 'authorization_code',
      clientId: 'client',
      tokenEndpointAuthMethod: 'client_secret_post',
      clientSecretJwtSigningAlgorithm: 'HS256',
      pkce: true,
      userInfoEndpointMethod: 'GET',
    });
  });

  it('refuses another response type, an HMAC client assertion algorithm and a timeout over a minute', () => {
    expect(guard.safeParse({ clientId: 'c', responseType: 'token' }).success).toBe(false);
    expect(
      guard.safeParse({ clientId: 'c', clientPrivateKeySigningAlgorithm: 'HS256' }).success,
    ).toBe(false);
    expect(guard.safeParse({ clientId: 'c', timeout: 60_001 }).success).toBe(false);
    expect(guard.safeParse({ clientId: 'c', timeout: 60_000 }).success).toBe(true);
  });

  it('accepts numbers and booleans as extra request parameters, not objects', () => {
    expect(
      guard.safeParse({ clientId: 'c', customConfig: { a: 1, b: true, c: 'x' } }).success,
    ).toBe(true);
    expect(guard.safeParse({ clientId: 'c', tokenRequestParameters: { a: {} } }).success).toBe(
      false,
    );
  });

  it('describes the fields with the description given', () => {
    expect(guard.shape.timeout.description).toBe('Milliseconds per call.');
    expect(guard.shape.userInfoEndpointMethod.description).toBe('How user info is requested.');
  });

  it('has a form item only for keys of the shared fields, secrets marked confidential', () => {
    const items = [...standardClientFormItems, ...standardFlowFormItems];
    for (const item of items) {
      expect(Object.keys(guard.shape)).toContain(item.key);
    }
    const confidential = items.filter((item) => item.isConfidential).map((item) => item.key);
    expect(confidential).toEqual(['clientSecret', 'clientPrivateKey']);
  });
});
