import { createPrivateKey, randomUUID } from 'node:crypto';
import { ConnectorErrorCodes } from '@logto/connector-kit';
import { importJWK, importPKCS8, type JWK, SignJWT } from 'jose';
import { z } from 'zod';
import { connectorError } from '../errors';
import { asymmetricJwsAlgorithms } from './asymmetric-algorithms';
import { type ClientCertificate, certificateThumbprint } from './client-certificate';

/**
 * Client authentication at the token endpoint (RFC 6749 §2.3, OIDC Core §9). The same method is
 * used for the code exchange and for refreshes.
 */

export const clientAuthMethodGuard = z.enum([
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
  'none',
]);
export type ClientAuthMethod = z.infer<typeof clientAuthMethodGuard>;

export const clientSecretJwtAlgorithmGuard = z.enum(['HS256', 'HS384', 'HS512']);
export const privateKeyJwtAlgorithmGuard = z.enum(asymmetricJwsAlgorithms);

export type ClientCredentials = {
  clientId: string;
  method: ClientAuthMethod;
  clientSecret?: string;
  /** `client_secret_jwt` / `private_key_jwt` signing algorithm. */
  signingAlgorithm?: string;
  /** `private_key_jwt`: a PKCS#8 PEM or a private JWK (JSON text or object). */
  privateKey?: string | JWK;
  /** `private_key_jwt`: the `kid` header, when the provider needs it to pick the key. */
  keyId?: string;
  /**
   * `private_key_jwt`: the key's X.509 certificate, named in the assertion's header by its
   * thumbprint, for providers that find the key that way (Microsoft Entra ID).
   */
  certificate?: ClientCertificate;
};

/**
 * A client that authenticates with its secret (RFC 6749 §2.3.1), in the form body
 * (`client_secret_post`) or as HTTP Basic (`client_secret_basic`): what most social providers take.
 */
export const clientSecretCredentials = <
  Method extends 'client_secret_post' | 'client_secret_basic',
>(
  { clientId, clientSecret }: { clientId: string; clientSecret: string },
  method: Method,
): { clientId: string; clientSecret: string; method: Method } => ({
  clientId,
  clientSecret,
  method,
});

/** RFC 6749 §2.3.1: client id and secret are form-encoded before being joined for Basic. */
const formEncode = (value: string): string =>
  encodeURIComponent(value)
    .replace(/%20/g, '+')
    .replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);

export const basicAuthorizationHeader = (clientId: string, clientSecret: string): string =>
  `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`;

const requireSecret = (credentials: ClientCredentials): string => {
  if (!credentials.clientSecret) {
    throw connectorError(
      ConnectorErrorCodes.InvalidConfig,
      `Token endpoint auth method ${credentials.method} needs a client secret; set \`clientSecret\``,
    );
  }
  return credentials.clientSecret;
};

const importPrivateKey = async (privateKey: string | JWK, algorithm: string) => {
  try {
    if (typeof privateKey === 'object') {
      return await importJWK(privateKey, algorithm);
    }
    const text = privateKey.trim();
    if (text.startsWith('{')) {
      return await importJWK(JSON.parse(text) as JWK, algorithm);
    }
    // PKCS#1 (`BEGIN RSA PRIVATE KEY`, what openssl and many portals export) and SEC1 keys go
    // through Node's reader to PKCS#8, the one PEM form jose imports.
    const pkcs8 = /-----BEGIN PRIVATE KEY-----/.test(text)
      ? text
      : createPrivateKey({ key: text, format: 'pem' }).export({ type: 'pkcs8', format: 'pem' });
    return await importPKCS8(pkcs8.toString(), algorithm);
  } catch {
    throw connectorError(
      ConnectorErrorCodes.InvalidConfig,
      `The private key for private_key_jwt could not be read as a PKCS#8 PEM or a private JWK for ${algorithm}`,
    );
  }
};

const thumbprintOf = ({ pem, thumbprintHeader }: ClientCertificate): string => {
  try {
    return certificateThumbprint(pem, thumbprintHeader);
  } catch {
    throw connectorError(
      ConnectorErrorCodes.InvalidConfig,
      'The certificate for private_key_jwt could not be read as a PEM X.509 certificate',
    );
  }
};

/**
 * A client assertion JWT (RFC 7523 §3): iss = sub = client id, aud = token endpoint, a unique jti,
 * valid from now (nbf, which Entra ID lists among its claims) for a minute.
 */
const createClientAssertion = async (
  credentials: ClientCredentials,
  tokenEndpoint: string,
): Promise<string> => {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({})
    .setIssuer(credentials.clientId)
    .setSubject(credentials.clientId)
    .setAudience(tokenEndpoint)
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 60);
  if (credentials.method === 'client_secret_jwt') {
    const algorithm = credentials.signingAlgorithm ?? 'HS256';
    return jwt
      .setProtectedHeader({ alg: algorithm, typ: 'JWT' })
      .sign(new TextEncoder().encode(requireSecret(credentials)));
  }
  const algorithm = credentials.signingAlgorithm ?? 'RS256';
  if (!credentials.privateKey) {
    throw connectorError(
      ConnectorErrorCodes.InvalidConfig,
      'Token endpoint auth method private_key_jwt needs a private key; set `clientPrivateKey`',
    );
  }
  const key = await importPrivateKey(credentials.privateKey, algorithm);
  return jwt
    .setProtectedHeader({
      alg: algorithm,
      typ: 'JWT',
      ...(credentials.keyId && { kid: credentials.keyId }),
      ...(credentials.certificate && {
        [credentials.certificate.thumbprintHeader]: thumbprintOf(credentials.certificate),
      }),
    })
    .sign(key);
};

/** The form fields and headers that authenticate the client for one token request. */
export const authenticateClient = async (
  credentials: ClientCredentials,
  tokenEndpoint: string,
): Promise<{ form: Record<string, string>; headers: Record<string, string> }> => {
  switch (credentials.method) {
    case 'client_secret_basic':
      return {
        form: {},
        headers: {
          authorization: basicAuthorizationHeader(credentials.clientId, requireSecret(credentials)),
        },
      };
    case 'client_secret_post':
      return {
        form: { client_id: credentials.clientId, client_secret: requireSecret(credentials) },
        headers: {},
      };
    case 'client_secret_jwt':
    case 'private_key_jwt':
      return {
        form: {
          client_id: credentials.clientId,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: await createClientAssertion(credentials, tokenEndpoint),
        },
        headers: {},
      };
    case 'none':
      return { form: { client_id: credentials.clientId }, headers: {} };
  }
};
