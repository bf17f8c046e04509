import { describeIdTokenForgery } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { clearCaches, clientId, configFor, graphMe, login, tenantId } from './azuread-test-kit';
import createAzureAdConnector from './index';

// As id-token-forgery.test.ts, for a multi-tenant config.
// Through the real sign-in path: msw answers at Microsoft's URLs, Graph /me with the same id as
// the token's sub, so the control signs in with either subject source.
// The multi-tenant issuer template, filled with the token's own `tid`; the id from the token.
const tenant = 'common';
const subjectSource = 'oidc';

describeIdTokenForgery({
  // Microsoft's authorization responses carry no `iss` and its issuer is per tenant: the mix-up
  // defence is the ID token's own issuer and `tid` check, which the forgeries below exercise.
  checksCallbackIssuer: false,
  connector: `azuread (tenant ${tenant}, subject ${subjectSource})`,
  create: async () =>
    (await createAzureAdConnector({
      getConfig: async () => configFor({ tenantId: tenant, subjectSource }),
    })) as SocialConnector,
  clientId,
  issuer: `${login}/${tenantId}/v2.0`,
  tokenEndpoint: `${login}/${tenant}/oauth2/v2.0/token`,
  jwksUri: `${login}/${tenant}/discovery/v2.0/keys`,
  userinfoEndpoint: graphMe,
  extraClaims: { tid: tenantId, id: 'forgery-suite-user', name: 'Ada Lovelace' },
  beforeEachCase: clearCaches,
});
