import { describe, expect, it } from 'vitest';
import type { ConnectorPreset, ReceivedMail } from './emulators';
import { createPlaygroundInbox } from './inbox';
import { reportTemplate } from './template-report';

const message = (id: string, channel: ReceivedMail['channel'], at: number): ReceivedMail => ({
  id,
  channel,
  receivedBy: `${id} emulator`,
  receivedAt: new Date(at),
  from: '',
  to: ['+4512345678'],
  subject: '',
  html: undefined,
  text: `message ${id}`,
  details: {},
});

const presetWith = (
  emulatorName: string,
  messages: ReceivedMail[],
): Pick<ConnectorPreset, 'emulatorName' | 'inbox'> => ({
  emulatorName,
  inbox: { messages: async () => messages },
});

describe('the playground inbox', () => {
  it('lists the messages of every emulator together, newest first', async () => {
    const inbox = createPlaygroundInbox(
      new Map<string, Pick<ConnectorPreset, 'emulatorName' | 'inbox'>>([
        ['twilio-short-message-service', presetWith('Twilio', [message('twilio-1', 'sms', 1000)])],
        [
          'sendgrid-email-service',
          presetWith('SendGrid', [
            message('sendgrid-1', 'email', 500),
            message('sendgrid-2', 'email', 3000),
          ]),
        ],
        ['github-universal', { emulatorName: 'GitHub' }],
      ]),
    );
    const entries = await inbox.list();
    expect(
      entries.map((entry) => [entry.message.id, entry.connectorId, entry.emulatorName]),
    ).toEqual([
      ['sendgrid-2', 'sendgrid-email-service', 'SendGrid'],
      ['twilio-1', 'twilio-short-message-service', 'Twilio'],
      ['sendgrid-1', 'sendgrid-email-service', 'SendGrid'],
    ]);
  });

  it('keeps the later of two messages of one emulator with the same time on top', async () => {
    const inbox = createPlaygroundInbox(
      new Map([
        [
          'http-sms',
          presetWith('HTTP SMS', [
            message('http-sms-1', 'sms', 7),
            message('http-sms-2', 'sms', 7),
          ]),
        ],
      ]),
    );
    expect((await inbox.list()).map((entry) => entry.message.id)).toEqual([
      'http-sms-2',
      'http-sms-1',
    ]);
  });

  it('shows what the playground asked for beside the messages its send produced, and nothing beside others', async () => {
    const messages = [message('postmark-1', 'email', 1), message('postmark-2', 'email', 2)];
    const inbox = createPlaygroundInbox(
      new Map([['postmark-mail', presetWith('Postmark', messages)]]),
    );
    const template = reportTemplate({
      usageType: 'BindMfa',
      locale: undefined,
      config: { templates: [{ usageType: 'Generic' }] },
      i18nAnswered: false,
    });
    inbox.remember(['postmark-2'], { connectorId: 'postmark-mail', template });
    const [sent, other] = await inbox.list();
    expect(sent?.sent?.template.answeredBy).toBe('generic');
    expect(other?.message.id).toBe('postmark-1');
    expect(other?.sent).toBeUndefined();
  });
});
