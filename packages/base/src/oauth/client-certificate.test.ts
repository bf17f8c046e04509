import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import type { ConnectorError } from '@logto/connector-kit';
import { decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import { generate } from 'selfsigned';
import { beforeAll, describe, expect, it } from 'vitest';
import { authenticateClient } from './client-auth';
import { certificateThumbprint, clientCertificateProblems } from './client-certificate';

type KeyPair = { privateKey: string; certificate: string };

const selfSigned = async (
  options: { keyType?: 'rsa' | 'ec'; notAfterDate?: Date } = {},
): Promise<KeyPair> => {
  const notBeforeDate = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
  const generated = await generate([{ name: 'commonName', value: 'smtp-app' }], {
    keyType: options.keyType ?? 'rsa',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: options.notAfterDate ?? new Date(Date.now() + 24 * 60 * 60 * 1000),
  });
  return { privateKey: generated.private, certificate: generated.cert };
};

let app: KeyPair;
let other: KeyPair;
beforeAll(async () => {
  [app, other] = await Promise.all([selfSigned(), selfSigned()]);
});

const tokenEndpoint = 'https://login.example/tenant/oauth2/v2.0/token';

const assertionOf = async (
  pair: KeyPair,
  thumbprintHeader: 'x5t' | 'x5t#S256',
  algorithm: string,
  privateKey = pair.privateKey,
) => {
  const { form } = await authenticateClient(
    {
      clientId: 'app-id',
      method: 'private_key_jwt',
      privateKey,
      signingAlgorithm: algorithm,
      certificate: { pem: pair.certificate, thumbprintHeader },
    },
    tokenEndpoint,
  );
  expect(form.client_assertion_type).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  return form.client_assertion ?? '';
};

describe('client assertions that name a certificate (Entra ID certificate credentials)', () => {
  it('computes x5t and x5t#S256 as base64url SHA-1 and SHA-256 of the DER certificate', () => {
    const der = new X509Certificate(app.certificate).raw;
    expect(certificateThumbprint(app.certificate, 'x5t')).toBe(
      createHash('sha1').update(der).digest('base64url'),
    );
    // The colon-separated hex fingerprint the Azure portal shows, as base64url.
    expect(certificateThumbprint(app.certificate, 'x5t#S256')).toBe(
      Buffer.from(
        new X509Certificate(app.certificate).fingerprint256.replaceAll(':', ''),
        'hex',
      ).toString('base64url'),
    );
  });

  it.each([
    ['PS256', 'x5t#S256'],
    ['RS256', 'x5t'],
  ] as const)(
    'signs %s with the certificate named by %s, verifiable with the certificate alone',
    async (algorithm, header) => {
      const assertion = await assertionOf(app, header, algorithm);

      const protectedHeader = decodeProtectedHeader(assertion);
      expect(protectedHeader).toEqual({
        alg: algorithm,
        typ: 'JWT',
        [header]: certificateThumbprint(app.certificate, header),
      });
      const { payload } = await jwtVerify(assertion, await importX509(app.certificate, algorithm), {
        audience: tokenEndpoint,
        issuer: 'app-id',
        subject: 'app-id',
        requiredClaims: ['jti', 'nbf', 'exp', 'iat'],
      });
      expect((payload.exp ?? 0) - (payload.nbf ?? 0)).toBeLessThanOrEqual(600);
    },
  );

  it('signs with a PKCS#1 RSA key (BEGIN RSA PRIVATE KEY) as well', async () => {
    const pkcs1 = createPrivateKey(app.privateKey)
      .export({ type: 'pkcs1', format: 'pem' })
      .toString();
    expect(pkcs1).toContain('BEGIN RSA PRIVATE KEY');
    const assertion = await assertionOf(app, 'x5t#S256', 'PS256', pkcs1);
    await jwtVerify(assertion, await importX509(app.certificate, 'PS256'));
  });

  it('refuses an unreadable certificate as invalid_config, without the key', async () => {
    const error = (await assertionOf({ ...app, certificate: 'not a certificate' }, 'x5t', 'RS256')
      .then(() => undefined)
      .catch((thrown: unknown) => thrown)) as ConnectorError;
    expect(error.code).toBe('invalid_config');
    expect(JSON.stringify(error)).not.toContain('PRIVATE KEY');
  });
});

describe('clientCertificateProblems', () => {
  const check = (pair: KeyPair, algorithm = 'PS256', now?: Date) =>
    clientCertificateProblems(pair, { algorithm, ...(now && { now }) });

  it('accepts a key with its own certificate (PKCS#8 or PKCS#1)', () => {
    expect(check(app)).toEqual([]);
    const pkcs1 = createPrivateKey(app.privateKey)
      .export({ type: 'pkcs1', format: 'pem' })
      .toString();
    expect(check({ ...app, privateKey: pkcs1 }, 'RS256')).toEqual([]);
  });

  it("refuses a certificate that is another key's", () => {
    expect(check({ privateKey: app.privateKey, certificate: other.certificate })).toEqual([
      { field: 'certificate', message: expect.stringContaining('does not belong to privateKey') },
    ]);
  });

  it('names the fields of text that is not PEM, and of the two swapped', () => {
    expect(check({ privateKey: 'hunter2-not-a-key', certificate: 'hello' })).toEqual([
      { field: 'privateKey', message: expect.stringContaining('must be a PEM private key') },
      { field: 'certificate', message: expect.stringContaining('must be a PEM X.509 certificate') },
    ]);
    expect(check({ privateKey: app.certificate, certificate: app.privateKey })).toEqual([
      { field: 'privateKey', message: expect.stringContaining('holds a certificate') },
      { field: 'certificate', message: expect.stringContaining('holds a private key') },
    ]);
  });

  it('refuses a damaged key block without quoting it', () => {
    const damaged = app.privateKey.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!');
    const problems = check({ ...app, privateKey: damaged });
    expect(problems).toEqual([
      { field: 'privateKey', message: expect.stringContaining('could not be read') },
    ]);
    const body = app.privateKey.split('\n')[2] ?? '';
    expect(JSON.stringify(problems)).not.toContain(body.slice(0, 12));
  });

  it('refuses an EC key for PS256 and an expired certificate', async () => {
    const ec = await selfSigned({ keyType: 'ec' });
    expect(check(ec, 'PS256')).toEqual([
      { field: 'privateKey', message: expect.stringContaining('cannot sign PS256') },
    ]);
    expect(check(ec, 'ES256')).toEqual([]);
    expect(check(app, 'PS256', new Date(Date.now() + 2 * 24 * 60 * 60 * 1000))).toEqual([
      { field: 'certificate', message: expect.stringMatching(/^expired on \d{4}-/) },
    ]);
  });
});
