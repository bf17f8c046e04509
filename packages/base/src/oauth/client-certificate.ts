import { createHash, createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';

/**
 * A client that authenticates with a certificate: `private_key_jwt` (RFC 7523) where the provider
 * registers the app's X.509 certificate rather than a JWKS, and finds the verification key by the
 * certificate's thumbprint in the assertion's JOSE header. Microsoft Entra ID works this way
 * (https://learn.microsoft.com/entra/identity-platform/certificate-credentials): `x5t`, the
 * SHA-1 thumbprint (RFC 7515 §4.1.7), with RS256, or `x5t#S256`, the SHA-256 one (§4.1.8), with
 * PS256.
 */

/** The JOSE header parameter that names the certificate. */
export type CertificateThumbprintHeader = 'x5t' | 'x5t#S256';

/** A certificate for a client assertion's header: its PEM and how to name it. */
export type ClientCertificate = { pem: string; thumbprintHeader: CertificateThumbprintHeader };

/** The base64url thumbprint of a PEM certificate's DER encoding (SHA-1 for `x5t`, SHA-256 for `x5t#S256`). */
export const certificateThumbprint = (
  certificatePem: string,
  thumbprintHeader: CertificateThumbprintHeader,
): string =>
  createHash(thumbprintHeader === 'x5t' ? 'sha1' : 'sha256')
    .update(new X509Certificate(certificatePem).raw)
    .digest('base64url');

/** One thing wrong with a key and certificate pair, named by the field to fix. */
export type ClientCertificateProblem = { field: 'privateKey' | 'certificate'; message: string };

const readPrivateKey = (pem: string): KeyObject | ClientCertificateProblem => {
  if (/-----BEGIN CERTIFICATE-----/.test(pem)) {
    return {
      field: 'privateKey',
      message:
        'holds a certificate, not a private key: paste the key (-----BEGIN PRIVATE KEY-----) here and the certificate in `certificate`',
    };
  }
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(pem)) {
    return {
      field: 'privateKey',
      message:
        'is encrypted with a passphrase: export it without one (openssl pkcs8 -topk8 -nocrypt) and keep the config itself secret',
    };
  }
  if (!/-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/.test(pem)) {
    return {
      field: 'privateKey',
      message:
        'must be a PEM private key (-----BEGIN PRIVATE KEY----- ... -----END PRIVATE KEY-----)',
    };
  }
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    // Node's message is about the decoder, never the key; ours says what to do.
    return {
      field: 'privateKey',
      message:
        'could not be read as a PEM private key (PKCS#8 or PKCS#1): check that the whole block was pasted, line breaks included',
    };
  }
};

const readCertificate = (pem: string): X509Certificate | ClientCertificateProblem => {
  if (/PRIVATE KEY-----/.test(pem)) {
    return {
      field: 'certificate',
      message:
        'holds a private key: paste the certificate (-----BEGIN CERTIFICATE-----) here, the key belongs in `privateKey`',
    };
  }
  if (!/-----BEGIN CERTIFICATE-----/.test(pem)) {
    return {
      field: 'certificate',
      message:
        'must be a PEM X.509 certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)',
    };
  }
  try {
    return new X509Certificate(pem);
  } catch {
    return {
      field: 'certificate',
      message:
        'could not be read as a PEM X.509 certificate: check that the whole block was pasted, line breaks included',
    };
  }
};

/** The key types each family of JWS algorithms signs with (RFC 7518 §3.1, RFC 8037 §3.1). */
const keyTypesOf = (algorithm: string): readonly string[] => {
  if (/^(?:RS|PS)\d+$/.test(algorithm)) {
    return ['rsa', 'rsa-pss'];
  }
  if (/^ES\d+$/.test(algorithm)) {
    return ['ec'];
  }
  return algorithm === 'EdDSA' ? ['ed25519', 'ed448'] : [];
};

/** The structural verdict on a pair, and the certificate's end of validity when it is sound. */
type PairReading = { problems: ClientCertificateProblem[]; validTo?: Date };

const readPair = (
  pair: { privateKey: string; certificate: string },
  algorithm: string,
): PairReading => {
  const key = readPrivateKey(pair.privateKey);
  const parsedCertificate = readCertificate(pair.certificate);
  const problems = [key, parsedCertificate].filter(
    (result): result is ClientCertificateProblem => 'field' in result,
  );
  if (problems.length > 0) {
    return { problems };
  }
  const keyObject = key as KeyObject;
  const x509 = parsedCertificate as X509Certificate;
  const keyType = keyObject.asymmetricKeyType ?? 'unknown';
  const signingKeyTypes = keyTypesOf(algorithm);
  if (!signingKeyTypes.includes(keyType)) {
    return {
      problems: [
        {
          field: 'privateKey',
          message: `is an ${keyType.toUpperCase()} key, which cannot sign ${algorithm} (that needs ${signingKeyTypes[0]?.toUpperCase() ?? 'another'} key): use the key of the certificate registered with the provider`,
        },
      ],
    };
  }
  if (!x509.checkPrivateKey(keyObject)) {
    return {
      problems: [
        {
          field: 'certificate',
          message:
            "does not belong to privateKey (its public key is another key's): use the certificate made with this key, the one uploaded to the app registration",
        },
      ],
    };
  }
  return { problems: [], validTo: new Date(x509.validTo) };
};

/**
 * Recent verdicts by pair: a connector's config is checked on every send, and reading an RSA key
 * and certificate costs about a millisecond. The texts are in memory as the config anyway.
 */
const recentReadings = new Map<string, PairReading>();
const maxRecentReadings = 16;

/**
 * What is wrong with a private key and its certificate, checked before any request, so that a
 * mistake is an `invalid_config` naming the field rather than the provider's refusal later: not
 * PEM, the two swapped, an encrypted key, a key that does not sign `algorithm`, a certificate
 * that is not this key's (the provider would find the certificate and reject the signature), or
 * one that has expired. No message quotes the key.
 */
export const clientCertificateProblems = (
  pair: { privateKey: string; certificate: string },
  options: { algorithm: string; now?: Date },
): ClientCertificateProblem[] => {
  const { algorithm, now = new Date() } = options;
  const cacheKey = `${algorithm}\n${pair.privateKey}\n${pair.certificate}`;
  let reading = recentReadings.get(cacheKey);
  if (!reading) {
    reading = readPair(pair, algorithm);
    if (recentReadings.size >= maxRecentReadings) {
      recentReadings.delete(recentReadings.keys().next().value as string);
    }
    recentReadings.set(cacheKey, reading);
  }
  if (reading.validTo && reading.validTo.getTime() < now.getTime()) {
    return [
      {
        field: 'certificate',
        message: `expired on ${reading.validTo.toISOString()}: make a new certificate, upload it to the app registration and set it here with its key`,
      },
    ];
  }
  return [...reading.problems];
};
