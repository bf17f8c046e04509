import { usageLimitExceededCode } from '@idplug/base';
import { type AwsSesEmulator, startAwsSesEmulator } from '@idplug/emulators';
import { createSendTestKit, errorMessageOf, useProviderMock } from '@idplug/testing';
import { ConnectorErrorCodes, type EmailConnector, TemplateType } from '@logto/connector-kit';
import aws4 from 'aws4';
import { HttpResponse, http, passthrough } from 'msw';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AwsSesConfig } from './config';
import createAwsSesConnector from './index';

const accessKeyId = 'AKIAIOSFODNN7EXAMPLE';
const accessKeySecret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const sesUrl = 'https://email.us-east-1.amazonaws.com/v2/email/outbound-emails';

type Captured = { url: string; headers: Record<string, string>; body: string };
const captured: Captured[] = [];

// SES's real URL. The handler checks each request's signature with `aws4`, an implementation
// independent of the connector's, over the bytes that actually arrived.
const signatureMatches = ({ url, headers, body }: Captured, secret: string) => {
  const { host, pathname } = new URL(url);
  const signer = new aws4.RequestSigner(
    {
      host,
      path: pathname,
      method: 'POST',
      service: 'ses',
      region: /\/([a-z0-9-]+)\/ses\/aws4_request/.exec(headers.authorization ?? '')?.[1] ?? '',
      body,
      headers: { 'X-Amz-Date': headers['x-amz-date'] ?? '' },
      doNotModifyHeaders: true,
    },
    { accessKeyId, secretAccessKey: secret },
  );
  (signer as unknown as { datetime: string }).datetime = headers['x-amz-date'] ?? '';
  return signer.sign().headers?.Authorization === headers.authorization;
};

const mock = useProviderMock(
  http.post('https://*/v2/email/outbound-emails', async ({ request }) => {
    const entry = {
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: await request.text(),
    };
    captured.push(entry);
    if (!signatureMatches(entry, accessKeySecret)) {
      return HttpResponse.json(
        {
          message: 'The request signature we calculated does not match the signature you provided.',
        },
        {
          status: 403,
          headers: {
            'x-amzn-ErrorType':
              'SignatureDoesNotMatch:http://internal.amazon.com/coral/com.amazon.coral.service/',
          },
        },
      );
    }
    return HttpResponse.json({ MessageId: '0100018c-example' });
  }),
  // aws-ses-v2-local on loopback: real requests.
  http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()),
);

// The official connector's config shape.
const config: AwsSesConfig = {
  accessKeyId,
  accessKeySecret,
  region: 'us-east-1',
  emailAddress: 'Example <no-reply@example.com>',
  configurationSetName: 'logto',
  feedbackForwardingEmailAddress: 'bounces@example.com',
  templates: [
    { usageType: 'SignIn', subject: 'Sign in: {{code}}', content: 'Your code is {{code}}.' },
    {
      usageType: 'Generic',
      subject: 'Your code',
      content: '<p>Your code is <b>{{code}}</b></p>',
      replyTo: 'help@example.com',
    },
  ],
};

const { load, send, failure } = createSendTestKit({
  create: createAwsSesConnector,
  config: config,
  message: { to: 'ada@example.com', type: TemplateType.SignIn, payload: { code: '123456' } },
  secrets: [accessKeySecret],
});
const lastBody = () => JSON.parse(captured.at(-1)?.body ?? '{}') as Record<string, unknown>;

describe('sending through aws-ses-v2-local', () => {
  let emulator: AwsSesEmulator;
  beforeAll(async () => {
    emulator = await startAwsSesEmulator();
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it('delivers an HTML message with its text part, reply-to and sender', async () => {
    const messageId = await send(
      { ...config, endpoint: emulator.url },
      { type: TemplateType.Register, payload: { code: '<42>' } },
    );
    const [stored] = await emulator.messages();
    expect(stored).toMatchObject({
      messageId,
      from: 'Example <no-reply@example.com>',
      replyTo: ['help@example.com'],
      destination: { to: ['ada@example.com'] },
      subject: 'Your code',
      body: { html: '<p>Your code is <b>&lt;42&gt;</b></p>', text: 'Your code is <42>' },
    });
  });

  it('delivers a plain-text message as Text only, with a unicode subject', async () => {
    await send({
      ...config,
      endpoint: `${emulator.url}/`,
      templates: [{ usageType: 'Generic', subject: 'Код {{code}} ✉️', content: 'Code {{code}}' }],
    });
    const stored = (await emulator.messages()).at(-1);
    expect(stored?.subject).toBe('Код 123456 ✉️');
    expect(stored?.body).toEqual({ text: 'Code 123456' });
  });

  it('uses the config of the emulator wrapper as is', async () => {
    await send(emulator.config, { payload: { code: '777' } });
    expect((await emulator.messages()).at(-1)?.body.html).toContain('<strong>777</strong>');
  });
});

describe('the SendEmail request', () => {
  it("is signed for the region's endpoint and carries the official config's fields", async () => {
    await send();
    expect(captured.at(-1)?.url).toBe(sesUrl);
    expect(captured.at(-1)?.headers['content-type']).toBe('application/json');
    expect(lastBody()).toEqual({
      FromEmailAddress: 'Example <no-reply@example.com>',
      Destination: { ToAddresses: ['ada@example.com'] },
      FeedbackForwardingEmailAddress: 'bounces@example.com',
      ConfigurationSetName: 'logto',
      Content: {
        Simple: {
          Subject: { Data: 'Sign in: 123456', Charset: 'UTF-8' },
          Body: { Text: { Data: 'Your code is 123456.', Charset: 'UTF-8' } },
        },
      },
    });
  });

  it('passes the identity ARNs and reads blank optional fields as unset', async () => {
    await send({
      ...config,
      emailAddressIdentityArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com',
      feedbackForwardingEmailAddressIdentityArn:
        'arn:aws:ses:us-east-1:123456789012:identity/example.org',
      configurationSetName: '',
    });
    expect(lastBody()).toMatchObject({
      FromEmailAddressIdentityArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com',
      FeedbackForwardingEmailAddressIdentityArn:
        'arn:aws:ses:us-east-1:123456789012:identity/example.org',
    });
    expect(lastBody()).not.toHaveProperty('ConfigurationSetName');
  });

  it('goes to a VPC endpoint when set, still signed for the region', async () => {
    const endpoint = 'https://vpce-0123.email.eu-west-1.vpce.amazonaws.com';
    await send({ ...config, region: 'eu-west-1', endpoint });
    expect(captured.at(-1)?.url).toBe(`${endpoint}/v2/email/outbound-emails`);
    expect(captured.at(-1)?.headers.authorization).toContain('/eu-west-1/ses/aws4_request');
  });

  it("puts a localized template's sender name before the configured address", async () => {
    const connector = await load(config, async () => ({
      subject: 'Code',
      content: '{{code}}',
      sendFrom: 'Équipe Exemple',
    }));
    await connector.sendMessage({
      to: 'ada@example.com',
      type: TemplateType.SignIn,
      payload: { code: '1' },
    });
    expect(lastBody().FromEmailAddress).toBe(
      `=?UTF-8?B?${Buffer.from('Équipe Exemple').toString('base64')}?= <no-reply@example.com>`,
    );
    await (
      await load(config, async () => ({
        subject: 'Code',
        content: '{{code}}',
        sendFrom: 'The "Example" Team',
      }))
    ).sendMessage({ to: 'ada@example.com', type: TemplateType.SignIn, payload: {} });
    expect(lastBody().FromEmailAddress).toBe('"The \\"Example\\" Team" <no-reply@example.com>');
  });

  it('uses the unsaved config of "send test" instead of the stored one', async () => {
    const getConfig = vi.fn(async () => ({ ...config, region: 'eu-north-1' }));
    const connector = (await createAwsSesConnector({ getConfig })) as EmailConnector;
    await connector.sendMessage(
      { to: 'ada@example.com', type: TemplateType.SignIn, payload: {} },
      config,
    );
    expect(getConfig).not.toHaveBeenCalled();
    expect(captured.at(-1)?.url).toBe(sesUrl);
  });

  it.each([
    ['a region of the wrong shape', { region: 'us-east' }],
    ['an endpoint without a scheme', { endpoint: 'email.us-east-1.amazonaws.com' }],
    ['no Generic template', { templates: [{ usageType: 'SignIn', subject: 's', content: 'c' }] }],
    ['an empty access key ID', { accessKeyId: ' ' }],
    ['an empty secret', { accessKeySecret: '' }],
  ])('refuses %s as invalid_config before sending', async (_, change) => {
    const error = await failure(send({ ...config, ...change }));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(mock.requests).toHaveLength(0);
  });
});

describe("mapping SES's exceptions", () => {
  const answer = (name: string, status: number, message: string) =>
    mock.use(
      http.post(sesUrl, () =>
        HttpResponse.json(
          { message },
          {
            status,
            headers: {
              'x-amzn-ErrorType': `${name}:http://internal.amazon.com/coral/com.amazonaws.sesv2/`,
            },
          },
        ),
      ),
    );

  it.each<[string, number, () => ConnectorErrorCodes]>([
    ['ThrottlingException', 400, () => ConnectorErrorCodes.RateLimitExceeded],
    ['TooManyRequestsException', 429, () => ConnectorErrorCodes.RateLimitExceeded],
    ['MessageRejected', 400, () => ConnectorErrorCodes.General],
    ['MailFromDomainNotVerifiedException', 400, () => ConnectorErrorCodes.General],
    ['SendingPausedException', 400, usageLimitExceededCode],
    ['AccountSuspendedException', 400, usageLimitExceededCode],
    ['InvalidClientTokenId', 403, () => ConnectorErrorCodes.InvalidConfig],
    ['SignatureDoesNotMatch', 403, () => ConnectorErrorCodes.InvalidConfig],
    ['UnrecognizedClientException', 403, () => ConnectorErrorCodes.InvalidConfig],
    ['AccessDeniedException', 403, () => ConnectorErrorCodes.InvalidConfig],
    ['NotFoundException', 404, () => ConnectorErrorCodes.InvalidConfig],
    ['BadRequestException', 400, () => ConnectorErrorCodes.General],
  ])(
    'maps %s (HTTP %i) to its code, with the name and SES reason',
    async (name, status, expected) => {
      answer(name, status, `Reason given for ${name}.`);
      const error = await failure(send());
      expect(error.code).toBe(expected());
      expect(error.data).toMatchObject({
        provider: 'Amazon SES',
        status,
        providerCode: name,
        description: `Reason given for ${name}.`,
      });
      expect(errorMessageOf(error)).toContain(
        `Amazon SES answered \`${name}\`: Reason given for ${name}.`,
      );
    },
  );

  it("keeps SES's reason for MessageRejected in the message", async () => {
    answer(
      'MessageRejected',
      400,
      'Email address is not verified. The following identities failed the check in region US-EAST-1: ada@example.com',
    );
    expect(errorMessageOf(await failure(send()))).toContain(
      'identities failed the check in region US-EAST-1',
    );
  });

  it('reports a wrong secret (the signature check fails) as invalid_config without the secret', async () => {
    const error = await failure(send({ ...config, accessKeySecret: `${accessKeySecret}x` }));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(error.data).toMatchObject({ providerCode: 'SignatureDoesNotMatch' });
    expect(errorMessageOf(error)).toContain('check accessKeySecret');
    expect(JSON.stringify(error.data)).not.toContain(`${accessKeySecret}x`);
  });

  it('reads the exception name from the body (__type) and from an XML answer', async () => {
    mock.use(
      http.post(sesUrl, () =>
        HttpResponse.json(
          { __type: 'com.amazonaws.sesv2#TooManyRequestsException', message: 'slow' },
          { status: 429, headers: { 'retry-after': '2' } },
        ),
      ),
    );
    const json = await failure(send());
    expect(json.code).toBe(ConnectorErrorCodes.RateLimitExceeded);
    expect(json.data).toMatchObject({ retryAfter: 2 });
    mock.use(
      http.post(sesUrl, () =>
        HttpResponse.xml(
          '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>',
          { status: 403 },
        ),
      ),
    );
    const xml = await failure(send());
    expect(xml.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(errorMessageOf(xml)).toContain('The security token included in the request is invalid.');
  });

  it('redacts the secret when an answer echoes it', async () => {
    mock.use(
      http.post(sesUrl, () =>
        HttpResponse.json({ message: `bad ${accessKeySecret}` }, { status: 400 }),
      ),
    );
    expect(errorMessageOf(await failure(send()))).toContain('[redacted]');
  });

  it('reports a 5xx page as general, without retrying the send', async () => {
    mock.use(
      http.post(sesUrl, () =>
        HttpResponse.text('<html>Service Unavailable</html>', { status: 503 }),
      ),
    );
    const error = await failure(send());
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(mock.requests).toHaveLength(1);
  });
});
