/**
 * A Facebook emulator on loopback: Facebook Login's dialog and token endpoint on the shared OAuth
 * skeleton (oauth-app-emulator.ts) at the Graph API's versioned paths, and `/me`, answering as
 * https://developers.facebook.com/docs/graph-api documents: only the `fields` asked for (`email`
 * only under the `email` permission), errors as `{ error: { message, type, code, error_subcode,
 * fbtrace_id } }` (190 for a bad token, 36007/36009 for an expired/used code), `appsecret_proof`
 * checked when sent and required with `requireAppSecretProof`, and `fb_exchange_token` for a
 * long-lived token. The dialog and the Graph API share one origin (the connector's `hosts`).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { safeEqual, sendJson } from './emulator-http';
import {
  emulatorAccountsOf,
  type OAuthEmulator,
  type OAuthEmulatorAccount,
  type OAuthEmulatorApp,
  type OAuthEmulatorCodeRefusal,
  startOAuthEmulator,
} from './oauth-app-emulator';

export type FacebookEmulatorUser = {
  id: string;
  name: string;
  /** `null`: the person has no usable email, so Facebook leaves the field out. */
  email: string | null;
  pictureUrl: string;
};

export type FacebookEmulatorOptions = {
  app?: Partial<OAuthEmulatorApp>;
  user?: FacebookEmulatorUser;
  /** More users to sign in as (personas.ts), beside the default one. @default [] */
  otherAccounts?: OAuthEmulatorAccount<FacebookEmulatorUser>[];
  /** @default 'v24.0' */
  apiVersion?: string;
  /** The app's "Require App Secret" setting. @default false */
  requireAppSecretProof?: boolean;
  autoApprove?: boolean;
  port?: number;
};

export type FacebookEmulator = OAuthEmulator & {
  apiVersion: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  meEndpoint: string;
  user: FacebookEmulatorUser;
  /** The next `/me` call answers this rate-limit code (4, 17, 32 or 613). */
  rateLimitNext: (code: number) => void;
  /** `configureFacebookConnector(connectorOptions)` reaches this emulator. */
  connectorOptions: { hosts: { dialogBaseUrl: string; graphBaseUrl: string } };
  /** A ready connector config for this emulator's app. */
  config: { clientId: string; clientSecret: string; apiVersion: string };
};

export const defaultFacebookEmulatorApp: OAuthEmulatorApp = {
  clientId: '100000000000001',
  clientSecret: 'emulator-facebook-app-secret-0123456789',
  name: 'idplug playground',
};

export const defaultFacebookEmulatorUser: FacebookEmulatorUser = {
  id: '10158849236012345',
  name: 'Zoë Ångström',
  email: 'zoe@facebook.example',
  pictureUrl: 'https://platform-lookaside.example/picture/10158849236012345.jpg',
};

const graphError = (
  response: ServerResponse,
  status: number,
  error: { message: string; type: string; code: number; error_subcode?: number },
) =>
  sendJson(response, status, {
    error: { ...error, fbtrace_id: randomBytes(8).toString('base64url') },
  });

const codeRefusals: Record<OAuthEmulatorCodeRefusal, { message: string; subcode?: number }> = {
  unknown: { message: 'Invalid verification code format.' },
  used: { message: 'This authorization code has been used.', subcode: 36009 },
  expired: { message: 'This authorization code has expired.', subcode: 36007 },
  redirect_uri: {
    message:
      'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
    subcode: 36008,
  },
  pkce: { message: 'Invalid code verifier.' },
};

/** Seconds a long-lived user token lives (about 60 days). */
const longLivedSeconds = 5_183_944;

export const startFacebookEmulator = async (
  options: FacebookEmulatorOptions = {},
): Promise<FacebookEmulator> => {
  const user = options.user ?? defaultFacebookEmulatorUser;
  const accounts = emulatorAccountsOf(user, options.otherAccounts, (other) => other.id);
  const apiVersion = options.apiVersion ?? 'v24.0';
  const app = { ...defaultFacebookEmulatorApp, ...options.app };
  let rateLimitCode: number | undefined;

  const emulator = await startOAuthEmulator({
    name: 'Facebook emulator',
    app,
    accountLabel: user.name,
    otherAccounts: accounts.pageAccounts,
    authorizePath: `/${apiVersion}/dialog/oauth`,
    tokenPath: `/${apiVersion}/oauth/access_token`,
    tokenMethods: ['GET', 'POST'],
    refreshTokens: false,
    accessTokenTtl: 5400,
    ...(options.autoApprove !== undefined && { autoApprove: options.autoApprove }),
    ...(options.port !== undefined && { port: options.port }),
    tokenError: (response, error, _description, reason) => {
      if (error === 'invalid_client') {
        return graphError(response, 400, {
          message: 'Error validating client secret.',
          type: 'OAuthException',
          code: 1,
        });
      }
      const refusal = codeRefusals[reason ?? 'unknown'];
      return graphError(response, 400, {
        message: refusal.message,
        type: 'OAuthException',
        code: 100,
        ...(refusal.subcode && { error_subcode: refusal.subcode }),
      });
    },
    // https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived
    extraGrant: (parameters, { response, issue, lookup }) => {
      if (parameters.grant_type !== 'fb_exchange_token') {
        return false;
      }
      const current = lookup(parameters.fb_exchange_token ?? '');
      if (current === undefined) {
        graphError(response, 400, {
          message: 'Error validating access token: Session has expired.',
          type: 'OAuthException',
          code: 190,
          error_subcode: 463,
        });
        return true;
      }
      const longLived = issue(current);
      sendJson(response, 200, {
        access_token: longLived.accessToken,
        token_type: 'bearer',
        expires_in: longLivedSeconds,
      });
      return true;
    },
    routes: [
      {
        method: 'GET',
        path: `/${apiVersion}/me`,
        handle: ({ response, url, token, presentedToken }) => {
          if (token === undefined || presentedToken === undefined) {
            return graphError(response, 400, {
              message: 'Invalid OAuth access token - Cannot parse access token',
              type: 'OAuthException',
              code: 190,
            });
          }
          const proof = url.searchParams.get('appsecret_proof');
          const expected = createHmac('sha256', app.clientSecret)
            .update(presentedToken)
            .digest('hex');
          if (proof === null && options.requireAppSecretProof) {
            return graphError(response, 400, {
              message: 'API calls from the server require an appsecret_proof argument',
              type: 'GraphMethodException',
              code: 100,
            });
          }
          if (proof !== null && !safeEqual(proof, expected)) {
            return graphError(response, 400, {
              message: 'Invalid appsecret_proof provided in the API argument',
              type: 'GraphMethodException',
              code: 100,
            });
          }
          if (rateLimitCode !== undefined) {
            const code = rateLimitCode;
            rateLimitCode = undefined;
            return graphError(response, 400, {
              message:
                code === 17 ? 'User request limit reached' : 'Application request limit reached',
              type: 'OAuthException',
              code,
            });
          }
          const fields = (url.searchParams.get('fields') ?? 'id,name').split(',');
          const person = accounts.userOf(token);
          const available: Record<string, unknown> = {
            id: person.id,
            name: person.name,
            ...(person.email !== null && token.scopes.includes('email') && { email: person.email }),
            picture: {
              data: { height: 50, is_silhouette: false, url: person.pictureUrl, width: 50 },
            },
          };
          sendJson(
            response,
            200,
            Object.fromEntries(
              fields
                .filter((field) => field in available)
                .map((field) => [field, available[field]]),
            ),
          );
        },
      },
    ],
    notFound: (response) =>
      graphError(response, 400, {
        message: 'Unknown path components',
        type: 'OAuthException',
        code: 2500,
      }),
  });

  const { baseUrl } = emulator;
  return Object.assign(emulator, {
    apiVersion,
    authorizationEndpoint: `${baseUrl}/${apiVersion}/dialog/oauth`,
    tokenEndpoint: `${baseUrl}/${apiVersion}/oauth/access_token`,
    meEndpoint: `${baseUrl}/${apiVersion}/me`,
    user,
    rateLimitNext: (code: number) => {
      rateLimitCode = code;
    },
    connectorOptions: { hosts: { dialogBaseUrl: baseUrl, graphBaseUrl: baseUrl } },
    config: { clientId: app.clientId, clientSecret: app.clientSecret, apiVersion },
  });
};
