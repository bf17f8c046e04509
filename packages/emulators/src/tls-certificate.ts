import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';

/**
 * A throwaway certificate authority and a loopback server certificate it signed, all PEM.
 *
 * A client trusts the server by passing `ca` (e.g. nodemailer's `tls: { ca }`), and hostname
 * verification stays ON: the leaf names `localhost`, `127.0.0.1` and `::1` in its
 * subjectAltName, so tests exercise the same chain and name checks as production instead of
 * `rejectUnauthorized: false`.
 */
export type LoopbackTlsCertificate = {
  /** The CA certificate to trust (PEM). */
  ca: string;
  /** The server's leaf certificate (PEM), signed by `ca`. */
  cert: string;
  /** The server's private key (PKCS#8 PEM). */
  key: string;
  /** SHA-256 fingerprint of the leaf, colon-separated hex. */
  fingerprint256: string;
};

/**
 * Generates a fresh CA and a loopback leaf certificate in memory.
 *
 * Why `selfsigned` (WebCrypto + @peculiar/x509, pure JS) rather than the `openssl` CLI or a
 * committed fixture: the CLI is not on minimal Debian images (only `libssl` is), spawning it
 * needs temp files, and a committed certificate expires one day and breaks CI for no reason.
 * Node itself can make keys but not X.509 certificates. EC P-256 keeps generation to a few
 * milliseconds.
 *
 * Each call makes a new pair; tests that start many servers can generate once and share it.
 */
export const generateLoopbackTlsCertificate = async (
  options: { validForDays?: number } = {},
): Promise<LoopbackTlsCertificate> => {
  const validForDays = options.validForDays ?? 7;
  // Back-date by an hour so a little clock skew between processes cannot make it "not yet valid".
  const notBeforeDate = new Date(Date.now() - 60 * 60 * 1000);
  const notAfterDate = new Date(notBeforeDate.getTime() + validForDays * 24 * 60 * 60 * 1000);

  const authority = await generate([{ name: 'commonName', value: 'idplug test CA' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      {
        name: 'keyUsage',
        keyCertSign: true,
        cRLSign: true,
        digitalSignature: true,
        critical: true,
      },
    ],
  });

  const leaf = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: authority.private, cert: authority.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });

  return {
    ca: authority.cert,
    cert: leaf.cert,
    key: leaf.private,
    fingerprint256: new X509Certificate(leaf.cert).fingerprint256,
  };
};

/** An app's self-signed certificate and its key (PEM), as uploaded to an app registration. */
export type AppCertificate = { certificate: string; privateKey: string };

/**
 * A self-signed RSA certificate of the kind an app registers with Microsoft Entra ID for
 * certificate credentials (`private_key_jwt`): RSA, because Entra ID signs and verifies client
 * assertions with RS256 or PS256. `notAfterDate` in the past gives an expired one.
 */
export const generateAppCertificate = async (
  options: { commonName?: string; notAfterDate?: Date } = {},
): Promise<AppCertificate> => {
  const notBeforeDate = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
  const generated = await generate([{ name: 'commonName', value: options.commonName ?? 'app' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate:
      options.notAfterDate ?? new Date(notBeforeDate.getTime() + 30 * 24 * 60 * 60 * 1000),
  });
  return { certificate: generated.cert, privateKey: generated.private };
};
