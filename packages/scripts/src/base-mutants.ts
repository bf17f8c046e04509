import type { Mutant } from './mutation-check';

/**
 * The guarantees of `@idplug/base` that matter most, each broken once by hand: secret
 * redaction, HTML escaping, the nonce, PKCE, CR/LF refusal, the OAuth error table and
 * certificate credentials. Every mutant must make one of its `tests` fail
 * (`pnpm --filter @idplug/base test:mutations`). When a refactor moves the text a mutant looks
 * for, the check reports it stale: update `find`.
 */

const redactionTests = ['src/oauth/social-connector-redaction.test.ts', 'src/secrets.test.ts'];
const escapingTests = ['src/email/email.test.ts'];
const nonceTests = ['src/oauth/id-token.test.ts'];
const pkceTests = ['src/oauth/authorization.test.ts'];
const errorTableTests = ['src/http.test.ts'];
const clientCertificateTests = ['src/oauth/client-certificate.test.ts'];

export const baseMutants: Mutant[] = [
  // Redaction: the credentials every request carries, the tokens met during a flow, and the
  // redactor itself.
  {
    id: 'redaction/request-credentials',
    breaks: 'the credentials a request carries (code, Bearer and Basic values) are not registered',
    file: 'src/http.ts',
    find: '    registerCredentials(redactor, request, headers);',
    replace: '',
    tests: redactionTests,
  },
  {
    id: 'redaction/sign-in-refresh-token',
    breaks: 'the refresh token of a sign-in is not redacted',
    file: 'src/oauth/social-connector.ts',
    find: 'redactor.add(exchanged.access_token).add(exchanged.refresh_token)',
    replace: 'redactor.add(exchanged.access_token)',
    tests: redactionTests,
  },
  {
    id: 'redaction/form-encoded',
    breaks: 'a secret is not redacted where it appears form-encoded',
    file: 'src/secrets.ts',
    find: 'this.secrets.add(encodeURIComponent(secret));',
    replace: '',
    tests: redactionTests,
  },
  {
    id: 'redaction/secret-keys',
    breaks: 'values under secret-looking keys of error data are kept',
    file: 'src/secrets.ts',
    find: 'isSecretKey(key) && typeof item === ',
    replace: 'false && typeof item === ',
    tests: redactionTests,
  },
  {
    id: 'redaction/message',
    breaks: "a ConnectorError's message keeps the secrets in it",
    file: 'src/secrets.ts',
    find: 'safe.message = this.redactText(error.message);',
    replace: 'safe.message = error.message;',
    tests: redactionTests,
  },
  // HTML escaping of template values.
  {
    id: 'escaping/single-quote',
    breaks: "a value can close a single-quoted attribute (`'` not escaped)",
    file: 'src/email/render.ts',
    find: `/[&<>"']/g`,
    replace: '/[&<>"]/g',
    tests: escapingTests,
  },
  {
    id: 'escaping/double-quote',
    breaks: 'a value can close a double-quoted attribute',
    file: 'src/email/render.ts',
    find: `/[&<>"']/g`,
    replace: `/[&<>']/g`,
    tests: escapingTests,
  },
  {
    id: 'escaping/less-than',
    breaks: 'a value can open a tag',
    file: 'src/email/render.ts',
    find: `/[&<>"']/g`,
    replace: `/[&>"']/g`,
    tests: escapingTests,
  },
  {
    id: 'escaping/html-mode',
    breaks: 'values are inserted into HTML bodies unescaped',
    file: 'src/email/render.ts',
    find: "mode === 'html' ? escapeHtml(text) : text",
    replace: 'text',
    tests: escapingTests,
  },
  // The nonce (OIDC Core §3.1.3.7 step 11).
  {
    id: 'nonce/compare',
    breaks: 'an ID token with another nonce is accepted',
    file: 'src/oauth/id-token.ts',
    find: 'if (expectations.nonce !== undefined && payload.nonce !== expectations.nonce) {',
    replace: 'if (expectations.nonce !== undefined && payload.nonce === undefined) {',
    tests: nonceTests,
  },
  {
    id: 'nonce/required',
    breaks: 'an ID token without a nonce is accepted although one was sent',
    file: 'src/oauth/id-token.ts',
    find: 'if (expectations.nonce !== undefined && payload.nonce !== expectations.nonce) {',
    replace:
      'if (expectations.nonce !== undefined && payload.nonce !== undefined && payload.nonce !== expectations.nonce) {',
    tests: nonceTests,
  },
  {
    id: 'nonce/session',
    breaks: 'a session without a nonce vouches for any ID token',
    file: 'src/oauth/id-token.ts',
    find: 'if (!session.nonce) {',
    replace: 'if (session.nonce === "never") {',
    tests: nonceTests,
  },
  // PKCE S256 (RFC 7636 §4.1, §4.2).
  {
    id: 'pkce/digest',
    breaks: 'the code challenge is not SHA-256 of the verifier',
    file: 'src/oauth/pkce.ts',
    find: "createHash('sha256')",
    replace: "createHash('sha1')",
    tests: pkceTests,
  },
  {
    id: 'pkce/encoding',
    breaks: 'the code challenge is not base64url',
    file: 'src/oauth/pkce.ts',
    find: ".digest('base64url')",
    replace: ".digest('base64')",
    tests: pkceTests,
  },
  {
    id: 'pkce/verifier-length',
    breaks: 'the verifier is shorter than the 43 characters RFC 7636 §4.1 requires',
    file: 'src/oauth/pkce.ts',
    find: 'randomBytes(32)',
    replace: 'randomBytes(16)',
    tests: pkceTests,
  },
  // CR/LF refusal (header injection, a code sent elsewhere).
  {
    id: 'crlf/email-recipient',
    breaks: 'an email recipient with a line break is accepted',
    file: 'src/email/recipient.ts',
    find: 'if (/[\\r\\n]/.test(to)) {',
    replace: 'if (false) {',
    tests: ['src/email/email.test.ts'],
  },
  {
    id: 'crlf/header-values',
    breaks: 'a rendered subject keeps a carriage return',
    file: 'src/email/recipient.ts',
    find: 'value.replace(/[\\r\\n]+/g',
    replace: 'value.replace(/[\\n]+/g',
    tests: ['src/email/email.test.ts'],
  },
  {
    id: 'crlf/phone-recipient',
    breaks: 'a phone number with a line break is accepted',
    file: 'src/sms/phone-number.ts',
    find: 'if (/[\\r\\n]/.test(to)) {',
    replace: 'if (false) {',
    tests: ['src/sms/phone-number.test.ts', 'src/sms/sms-connector.test.ts'],
  },
  // The error table (RFC 6749 §5.2 codes to connector-kit codes).
  {
    id: 'error-table/invalid-grant',
    breaks: '`invalid_grant` is not `social_auth_code_invalid`',
    file: 'src/errors.ts',
    find: '  invalid_grant: ConnectorErrorCodes.SocialAuthCodeInvalid,',
    replace: '',
    tests: errorTableTests,
  },
  {
    id: 'error-table/invalid-client',
    breaks: '`invalid_client` is not `invalid_config`',
    file: 'src/errors.ts',
    find: '  invalid_client: ConnectorErrorCodes.InvalidConfig,',
    replace: '',
    tests: errorTableTests,
  },
  {
    id: 'error-table/access-denied',
    breaks: '`access_denied` is not `authorization_failed`',
    file: 'src/errors.ts',
    find: '  access_denied: ConnectorErrorCodes.AuthorizationFailed,',
    replace: '',
    tests: errorTableTests,
  },
  {
    id: 'error-table/slow-down',
    breaks: '`slow_down` is not `rate_limit_exceeded`',
    file: 'src/errors.ts',
    find: '  slow_down: ConnectorErrorCodes.RateLimitExceeded,',
    replace: '',
    tests: errorTableTests,
  },
  {
    id: 'error-table/unknown',
    breaks: 'an unknown OAuth error is not `general`',
    file: 'src/errors.ts',
    find: 'oauthErrorTable[error] ?? ConnectorErrorCodes.General',
    replace: 'oauthErrorTable[error] ?? ConnectorErrorCodes.InvalidConfig',
    tests: errorTableTests,
  },
  // Certificate credentials: the assertion names its certificate, and a certificate of another
  // key is refused before any request.
  {
    id: 'client-certificate/thumbprint-header',
    breaks: 'a client assertion does not carry the certificate thumbprint (x5t / x5t#S256)',
    file: 'src/oauth/client-auth.ts',
    find: '[credentials.certificate.thumbprintHeader]: thumbprintOf(credentials.certificate),',
    replace: '',
    tests: clientCertificateTests,
  },
  {
    id: 'client-certificate/key-mismatch',
    breaks: 'a certificate of another key is accepted with the private key',
    file: 'src/oauth/client-certificate.ts',
    find: 'if (!x509.checkPrivateKey(keyObject)) {',
    replace: 'if (!x509.checkPrivateKey(keyObject) && keyObject.type === "public") {',
    tests: clientCertificateTests,
  },
];
