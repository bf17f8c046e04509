import createTwilioSmsConnector from '@idplug/connector-twilio-sms';
import { arbitrarySmsPayload, fuzzPhoneNumbers } from '@idplug/testing';
import { type SmsConnector, TemplateType } from '@logto/connector-kit';
import * as officialModule from '@logto/connector-twilio-sms';
import fc from 'fast-check';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialFactory } from './official-connector';

/**
 * Twilio's drop-in promise: for the same config and message, Twilio receives the same request
 * from idplug as from `@logto/connector-twilio-sms`: URL, Basic credentials and form parameters
 * (To in E.164, MessagingServiceSid, the rendered Body, RiskCheck).
 *
 * Where the two are meant to differ, the fixtures stay out: a payload value that is an object
 * (the official renders `[object Object]`, idplug its JSON) and a handlebar naming an inherited
 * property such as `{{constructor}}` (the official renders the function's source).
 */

type Captured = { url: string; authorization: string | null; params: Record<string, string> };
const captured: Captured[] = [];
const server = setupServer(
  http.post(
    'https://api.twilio.com/2010-04-01/Accounts/:account/Messages.json',
    async ({ request }) => {
      captured.push({
        url: request.url,
        authorization: request.headers.get('authorization'),
        params: Object.fromEntries(new URLSearchParams(await request.text())),
      });
      return HttpResponse.json({ sid: 'SM0123', status: 'accepted' }, { status: 201 });
    },
  ),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const createOfficial = officialFactory<SmsConnector>(officialModule);

const contents = [
  'Your code is {{code}}',
  'Code: {{ code }} ({{locale}}, {{uiLocales}})',
  '{{link}} {{code}} {{missing}}',
  '{{application.name}}: {{code}}',
  'Plain text without values',
];

const arbitraryCase = () =>
  fc.record({
    to: fc.constantFrom(...fuzzPhoneNumbers.filter((number) => !/\s/.test(number))),
    type: fc.constantFrom(...Object.values(TemplateType)),
    payload: arbitrarySmsPayload().map((payload) => ({
      ...payload,
      code: String(payload.code ?? '000000'),
    })),
    content: fc.constantFrom(...contents),
    disableRiskCheck: fc.option(fc.boolean(), { nil: undefined }),
  });

describe('Twilio SMS against @logto/connector-twilio-sms', () => {
  it('sends the same request for 200 fuzzed messages', { timeout: 120_000 }, async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(
        arbitraryCase(),
        async ({ to, type, payload, content, disableRiskCheck }) => {
          const config = {
            accountSID: 'AC0123456789abcdef0123456789abcdef',
            authToken: 'differential-auth-token',
            fromMessagingServiceSID: 'MG0123456789abcdef0123456789abcdef',
            ...(disableRiskCheck !== undefined && { disableRiskCheck }),
            // The official guard insists on these four usage types.
            templates: ['SignIn', 'Register', 'ForgotPassword', 'Generic'].map((usageType) => ({
              usageType,
              content: `${usageType}: ${content}`,
            })),
          };
          const message = { to, type, payload };
          captured.length = 0;
          const official = await createOfficial({ getConfig: async () => config });
          const officialOutcome = await official.sendMessage(message as never).then(
            () => 'sent',
            (error: unknown) => (error as { code?: string }).code,
          );
          const ours = (await createTwilioSmsConnector({
            getConfig: async () => config,
          })) as SmsConnector;
          const ourOutcome = await ours.sendMessage(message as never).then(
            () => 'sent',
            (error: unknown) => (error as { code?: string }).code,
          );
          expect(ourOutcome).toBe(officialOutcome);
          if (officialOutcome === 'sent') {
            expect(captured).toHaveLength(2);
            expect(captured[1]).toEqual(captured[0]);
            compared += 1;
          }
        },
      ),
      { numRuns: 200, seed: 20_261_201 },
    );
    // Every fixture is a message both connectors send: none may pass by failing alike.
    expect(compared).toBe(200);
  });

  it('sends 4512345678 as +4512345678, as the official connector does', async () => {
    captured.length = 0;
    const config = {
      accountSID: 'AC0123456789abcdef0123456789abcdef',
      authToken: 'differential-auth-token',
      fromMessagingServiceSID: 'MG0123456789abcdef0123456789abcdef',
      templates: ['SignIn', 'Register', 'ForgotPassword', 'Generic'].map((usageType) => ({
        usageType,
        content: 'Code {{code}}',
      })),
    };
    const message = { to: '4512345678', type: 'SignIn', payload: { code: '1' } };
    await (await createOfficial({ getConfig: async () => config })).sendMessage(message as never);
    await (
      (await createTwilioSmsConnector({ getConfig: async () => config })) as SmsConnector
    ).sendMessage(message as never);
    expect(captured.map(({ params }) => params.To)).toEqual(['+4512345678', '+4512345678']);
  });
});
