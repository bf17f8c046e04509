import { expectOnlySafeConnectorErrors, useProviderMock } from '@idplug/testing';
import { socialUserInfoGuard } from '@logto/connector-kit';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  accessToken,
  clearCaches,
  clientSecret,
  configFor,
  consumersTenantId,
  createSigningKey,
  entraClaims,
  entraHandlers,
  load,
  type ProviderState,
  type SigningKey,
  signIn,
  tenantId,
} from './azuread-test-kit';

/**
 * Genuine Entra ID tokens (right issuer, audience, nonce) with arbitrary extra claims, and
 * arbitrary Graph `/me` answers: every sign-in either gives Logto a valid user whose email is
 * Graph's `mail` and nothing else, or fails with a secret-free ConnectorError.
 */

let key: SigningKey;
let state: ProviderState;
const mock = useProviderMock(...entraHandlers(() => state));

beforeAll(async () => {
  key = await createSigningKey();
});

const anyValue = () =>
  fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.emailAddress(),
    fc.constantFrom('+1 425 555 0109', '+44 (20) 7946-0958', '0800 123', '', null, true, 'true'),
    fc.integer(),
    fc.anything({ maxDepth: 2 }),
  );

const graphAnswer = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      {
        id: fc.oneof(
          { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) },
          anyValue(),
        ),
        mail: anyValue(),
        userPrincipalName: anyValue(),
        displayName: anyValue(),
        mobilePhone: anyValue(),
        businessPhones: anyValue(),
      },
      { requiredKeys: ['id'] },
    ),
  },
  fc.anything({ maxDepth: 2 }),
);

const tokenClaims = fc.record({
  tid: fc.constantFrom(tenantId, tenantId, consumersTenantId),
  xms_edov: anyValue(),
  email: anyValue(),
  preferred_username: anyValue(),
  sub: fc.string({ minLength: 1, maxLength: 40 }),
  extra: fc.dictionary(fc.string({ maxLength: 10 }), anyValue(), { maxKeys: 3 }),
});

describe('azuread Graph profile fuzzing', () => {
  it('signs in with Graph mail only, or throws only secret-free ConnectorErrors', {
    timeout: 120_000,
  }, async () => {
    let signedIn = 0;
    await fc.assert(
      fc.asyncProperty(
        tokenClaims,
        graphAnswer,
        fc.constantFrom('graph', 'oidc'),
        fc.boolean(),
        async ({ extra, tid, ...claims }, me, subjectSource, requireVerifiedEmailDomain) => {
          clearCaches();
          mock.requests.length = 0;
          state = {
            key,
            claims: entraClaims(tid, {
              ...extra,
              ...claims,
              iss: `https://login.microsoftonline.com/${tid}/v2.0`,
            }),
            me: me as Record<string, unknown>,
            tokenExtras: {},
          };
          const connector = await load(
            configFor({ tenantId: 'common', subjectSource, requireVerifiedEmailDomain }),
          );
          let user: unknown;
          const error = await expectOnlySafeConnectorErrors(async () => {
            user = (await signIn(connector, state)).result.userInfo;
          }, [clientSecret, accessToken, '1.AXoA-refresh-token']);
          if (error) {
            return;
          }
          signedIn += 1;
          expect(socialUserInfoGuard.safeParse(user).success).toBe(true);
          const { email, id } = user as { email?: string; id: string };
          const graph = me as Record<string, unknown>;
          expect(id).toBe(subjectSource === 'graph' ? graph.id : claims.sub);
          if (email !== undefined) {
            expect(email).toBe(graph.mail);
            if (requireVerifiedEmailDomain) {
              expect([true, 'true']).toContain(claims.xms_edov);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
    expect(signedIn, 'no run signed in').toBeGreaterThan(0);
  });
});
