import { clearJwksCache } from '@idplug/base';
import {
  expectOnlySafeConnectorErrors,
  hostileValue,
  providerAnswer,
  useFuzzedProvider,
} from '@idplug/testing';
import { type SocialConnector, socialUserInfoGuard } from '@logto/connector-kit';
import fc from 'fast-check';
import type { JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { appleClaims, createSigningKey, signIdToken, startSignIn } from './apple-test-kit';
import { appleEndpoints } from './constants';
import createAppleConnector from './index';

const create = async (config: unknown) =>
  (await createAppleConnector({ getConfig: async () => config })) as SocialConnector;

// The official config (no signing key): hostile callbacks, configs and key sets.
describe('apple ID-token-only fuzzing', () => {
  const provider = useFuzzedProvider([appleEndpoints.jwksUri]);
  const anyClaim = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.emailAddress(),
    fc.boolean(),
    fc.constantFrom('true', 'false', '', null),
    fc.anything({ maxDepth: 2 }),
  );
  const userField = fc.oneof(
    fc.constant(undefined),
    fc.string({ maxLength: 60 }),
    fc.anything({ maxDepth: 3 }),
    fc
      .record({
        name: fc.oneof(
          fc.record({ firstName: anyClaim, lastName: anyClaim }, { requiredKeys: [] }),
          anyClaim,
        ),
        email: anyClaim,
      })
      .map((user) => JSON.stringify(user)),
  );

  it('signs in with valid user info or throws only secret-free ConnectorErrors for genuine tokens with arbitrary claims and `user`', {
    timeout: 60_000,
  }, async () => {
    const key = await createSigningKey();
    let signedIn = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            sub: fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), anyClaim),
            email: anyClaim,
            email_verified: anyClaim,
            is_private_email: anyClaim,
          },
          { requiredKeys: ['sub'] },
        ),
        userField,
        fc.boolean(),
        async (claims, user, withNonce) => {
          clearJwksCache();
          provider.answer({
            [appleEndpoints.jwksUri]: {
              status: 200,
              contentType: 'application/json',
              headers: {},
              body: JSON.stringify({ keys: [key.publicJwk] }),
            },
          });
          const connector = await create({ clientId: 'com.example.web', scope: 'name email' });
          const { session, nonce } = await startSignIn(connector);
          const idToken = await signIdToken(
            key,
            appleClaims({
              ...claims,
              ...(withNonce ? { nonce } : { nonce: undefined }),
            } as JWTPayload),
          );
          let result: unknown;
          const error = await expectOnlySafeConnectorErrors(async () => {
            result = await connector.getUserInfo({ id_token: idToken, user }, session.getSession);
          }, []);
          if (!error) {
            signedIn += 1;
            expect(socialUserInfoGuard.safeParse(result).success).toBe(true);
          }
        },
      ),
      { numRuns: 40 },
    );
    expect(signedIn).toBeGreaterThan(0);
  });

  it('throws only secret-free ConnectorErrors for hostile callbacks, sessions and key sets', {
    timeout: 60_000,
  }, async () => {
    const key = await createSigningKey();
    const genuine = await signIdToken(key, appleClaims());
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostileValue(),
          fc.record({
            id_token: fc.oneof(fc.constant(genuine), hostileValue()),
            user: hostileValue(),
          }),
        ),
        hostileValue(),
        providerAnswer(),
        async (data, session, jwks) => {
          clearJwksCache();
          provider.answer({ [appleEndpoints.jwksUri]: jwks });
          const connector = await create({ clientId: 'com.example.web' });
          await expectOnlySafeConnectorErrors(
            () =>
              connector.getUserInfo(
                data as Record<string, unknown>,
                async () => session as Record<string, unknown>,
              ),
            [],
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});
