import { ConnectorError } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';
import { type SmtpConfig, smtpConfigGuard } from './config';
import { mapSmtpError, type SmtpFailure } from './smtp-errors';

const config = (overrides: Record<string, unknown> = {}): SmtpConfig =>
  smtpConfigGuard.parse({
    host: 'smtp.example.com',
    port: 587,
    auth: { user: 'mailer', pass: 'secret-pass-1234' },
    fromEmail: 'no-reply@example.com',
    templates: [],
    ...overrides,
  });

const failure = (message: string, fields: Partial<SmtpFailure> = {}): SmtpFailure =>
  Object.assign(new Error(message), fields);

const messageOf = (error: ConnectorError) => (error.data as { message: string }).message;

describe('mapSmtpError', () => {
  it('does not blame the TLS mode on 465 when secure is left to the port default', () => {
    const error = mapSmtpError(
      failure('Greeting never received', { code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' }),
      config({ port: 465 }),
    );

    expect(error.code).toBe('general');
    expect(messageOf(error)).toContain('smtp.example.com:465');
  });

  it('maps a missing STARTTLS with requireTLS to invalid_config', () => {
    const error = mapSmtpError(
      failure('Error upgrading connection with STARTTLS', { code: 'ETLS', command: 'STARTTLS' }),
      config({ requireTLS: true }),
    );

    expect(error.code).toBe('invalid_config');
    expect(messageOf(error)).toMatch(/requireTLS/);
  });

  it('maps a failed XOAUTH2 token refresh to invalid_config', () => {
    const error = mapSmtpError(
      failure('invalid_grant', { code: 'EOAUTH2' }),
      config({
        auth: { type: 'OAuth2', user: 'mailer@example.com', refreshToken: 'r-token-abcd' },
      }),
    );

    expect(error.code).toBe('invalid_config');
    expect(messageOf(error)).toContain('mailer@example.com');
  });

  it('reports the connection failure behind a queued message that ran out of time', () => {
    const refused = failure('connect ECONNREFUSED 10.0.0.1:587', {
      code: 'ESOCKET',
      originalCode: 'ECONNREFUSED',
    });
    const error = mapSmtpError(
      failure('No connection became free within 20000 ms', {
        code: 'ETIMEDOUT',
        smtpStage: 'queue',
        poolCause: Object.assign(refused, { smtpStage: 'connect' as const }),
      }),
      config(),
    );

    expect(error.code).toBe('general');
    expect(messageOf(error)).toContain('smtp.example.com:587');
    expect(messageOf(error)).toContain('ECONNREFUSED');
    expect(messageOf(error)).toContain('connection timeout 10000 ms');
  });

  it('says the pool was busy when a queued message ran out of time without a failure', () => {
    const error = mapSmtpError(
      failure('No connection became free within 20000 ms', {
        code: 'ETIMEDOUT',
        smtpStage: 'queue',
      }),
      config(),
    );

    expect(error.code).toBe('general');
    expect(messageOf(error)).toMatch(/no connection became free in time/);
    expect(messageOf(error)).toMatch(/pool\.maxConnections/);
    expect(error.data).toMatchObject({ stage: 'queue' });
  });

  it('names the reply code of a rejected message (after DATA)', () => {
    const error = mapSmtpError(
      failure('Message failed', {
        code: 'EMESSAGE',
        responseCode: 554,
        response: '554 5.7.1 Message rejected as spam',
        command: 'DATA',
        smtpStage: 'data',
      }),
      config(),
    );

    expect(error.code).toBe('general');
    expect(messageOf(error)).toMatch(/rejected the message with SMTP reply 554/);
    expect(error.data).toMatchObject({ status: 554, stage: 'data', command: 'DATA' });
  });

  it('keeps a ConnectorError as it is', () => {
    const original = new ConnectorError('invalid_request_parameters' as never, 'bad input');
    expect(mapSmtpError(original, config())).toBe(original);
  });

  it('turns anything else into a general error naming the server', () => {
    const error = mapSmtpError('weird', config());
    expect(error.code).toBe('general');
    expect(messageOf(error)).toContain('smtp.example.com:587');
  });
});
