import {
  ConnectorError,
  ConnectorType,
  type EmailConnector,
  TemplateType,
} from '@logto/connector-kit';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineEmailConnector } from './email-connector';
import { assertSingleEmailRecipient } from './recipient';
import { htmlTemplateToText, renderTemplate } from './render';
import { chooseEmailTemplate, renderEmail } from './template';

describe('rendering', () => {
  it('follows connector-kit’s handlebar semantics', () => {
    expect(renderTemplate('code {{code}} {{ code }}', { code: '1' }, 'text')).toBe('code 1 1');
    expect(renderTemplate('{{application.name}}!', { application: {} }, 'text')).toBe('!');
    expect(renderTemplate('{{link}}', {}, 'text')).toBe('{{link}}');
  });

  it('escapes values inside HTML bodies but not in text', () => {
    const payload = { code: '<b>1</b>', application: { name: 'A & "B"' } };
    expect(renderTemplate('<p>{{code}} {{application.name}}</p>', payload, 'html')).toBe(
      '<p>&lt;b&gt;1&lt;/b&gt; A &amp; &quot;B&quot;</p>',
    );
    expect(renderTemplate('{{code}}', payload, 'text')).toBe('<b>1</b>');
  });

  it('keeps a value inside a single-quoted attribute', () => {
    const link = "https://x.example/' onmouseover='alert(1)";
    const html = renderTemplate("<a href='{{link}}'>Open</a>", { link }, 'html');
    expect(html).toBe("<a href='https://x.example/&#39; onmouseover=&#39;alert(1)'>Open</a>");
    // The template's own two quotes are the only ones: the value cannot close the attribute.
    expect(html.split("'")).toHaveLength(3);
  });

  it('makes a readable text part from an HTML template', () => {
    expect(
      htmlTemplateToText(
        '<html><head><style>p{}</style></head><body><p>Code: <b>{{code}}</b></p><a href="https://x.example">Open</a><br>Bye &amp; thanks</body></html>',
      ),
    ).toBe('Code: {{code}}\nOpen (https://x.example)\nBye & thanks');
  });

  it('renders both parts for an HTML template and one for text', () => {
    const html = renderEmail(
      {
        usageType: 'SignIn',
        subject: 'Code {{code}}',
        content: '<p>{{code}}</p>',
        contentType: 'text/html',
      },
      'a@example.com',
      { code: '<1>' },
    );
    expect(html).toMatchObject({ subject: 'Code <1>', html: '<p>&lt;1&gt;</p>', text: '<1>' });
    const text = renderEmail(
      { usageType: 'SignIn', subject: 'S', content: 'Code {{code}}', contentType: 'text/plain' },
      'a@example.com',
      { code: '1' },
    );
    expect(text.html).toBeUndefined();
    expect(text.text).toBe('Code 1');
  });

  it('keeps subjects on one line whatever the payload says', () => {
    const email = renderEmail(
      { usageType: 'x', subject: 'Hi {{name}}', content: 'x' },
      'a@example.com',
      { name: 'a\r\nBcc: evil@example.com' },
    );
    expect(email.subject).not.toMatch(/[\r\n]/);
  });
});

describe('recipients', () => {
  it('accepts one address and refuses lists, CR/LF and garbage', () => {
    expect(assertSingleEmailRecipient(' user@example.com ')).toBe('user@example.com');
    for (const bad of [
      'a@example.com, b@example.com',
      'a@example.com\r\nBcc: b@example.com',
      'not-an-email',
      '',
      42,
      'a@b@c.com',
    ]) {
      expect(() => assertSingleEmailRecipient(bad)).toThrow(ConnectorError);
    }
  });

  it('refuses a line break even where trimming would hide it', () => {
    // Trimmed, these would be valid addresses: a line break is refused, never cleaned up.
    for (const bad of ['a@example.com\r\n', 'a@example.com\n', '\r\na@example.com']) {
      expect(() => assertSingleEmailRecipient(bad)).toThrow(/line break; nothing was sent/);
    }
  });
});

describe('template choice', () => {
  const templates = [
    { usageType: 'SignIn', subject: 'config sign-in', content: 'x' },
    { usageType: 'Generic', subject: 'config generic', content: 'x' },
  ];

  it('prefers Logto’s localized template, then the config’s, then Generic', async () => {
    const i18n = vi.fn(async (type: TemplateType, locale?: string) =>
      type === TemplateType.Register && locale === 'fr'
        ? { subject: 'fr register', content: 'y' }
        : undefined,
    );
    expect(
      (
        await chooseEmailTemplate({
          type: 'Register',
          locale: 'fr',
          templates,
          getI18nEmailTemplate: i18n,
        })
      ).subject,
    ).toBe('fr register');
    expect(
      (
        await chooseEmailTemplate({
          type: 'SignIn',
          locale: 'fr',
          templates,
          getI18nEmailTemplate: i18n,
        })
      ).subject,
    ).toBe('config sign-in');
    expect(
      (await chooseEmailTemplate({ type: 'ForgotPassword', templates, getI18nEmailTemplate: i18n }))
        .subject,
    ).toBe('config generic');
  });

  it('falls back to the config when the localized template store throws', async () => {
    const template = await chooseEmailTemplate({
      type: 'SignIn',
      templates,
      getI18nEmailTemplate: async () => {
        throw new Error('db down');
      },
    });
    expect(template.subject).toBe('config sign-in');
  });

  it('reports template_not_found when nothing fits', async () => {
    const error = await chooseEmailTemplate({ type: 'SignIn', templates: [] }).catch(
      (caught: unknown) => caught,
    );
    expect((error as ConnectorError).code).toBe('template_not_found');
  });
});

describe('defineEmailConnector', () => {
  const guard = z.object({
    password: z.string(),
    templates: z.array(
      z.object({ usageType: z.string(), subject: z.string(), content: z.string() }),
    ),
  });
  const stored = {
    password: 'stored-password',
    templates: [{ usageType: 'Generic', subject: 'S', content: 'code {{code}}' }],
  };

  const create = (
    deliver: Parameters<typeof defineEmailConnector<z.infer<typeof guard>>>[0]['deliver'],
  ) =>
    defineEmailConnector<z.infer<typeof guard>>({
      metadata: {
        id: 'test-email',
        target: 'test',
        platform: null,
        name: { en: 'Test' },
        description: { en: 'Test' },
        logo: './logo.svg',
        logoDark: null,
        readme: './README.md',
      },
      configGuard: guard,
      deliver,
    })({ getConfig: async () => stored }) as Promise<EmailConnector>;

  it('sends with the stored config, or with the unsaved one the console passes', async () => {
    const delivered: string[] = [];
    const connector = await create(async (message, { config }) => {
      delivered.push(`${config.password}:${message.text}`);
    });
    expect(connector.type).toBe(ConnectorType.Email);
    await connector.sendMessage({
      to: 'a@example.com',
      type: TemplateType.SignIn,
      payload: { code: '1' },
    });
    await connector.sendMessage(
      { to: 'a@example.com', type: TemplateType.SignIn, payload: { code: '2' } },
      { ...stored, password: 'unsaved-password' },
    );
    expect(delivered).toEqual(['stored-password:code 1', 'unsaved-password:code 2']);
  });

  it('lets no secret out of a delivery failure', async () => {
    const connector = await create(async () => {
      throw new Error('auth failed for stored-password');
    });
    const error = await connector
      .sendMessage({ to: 'a@example.com', type: TemplateType.SignIn, payload: {} })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).message).not.toContain('stored-password');
  });

  it('refuses a bad recipient before delivering', async () => {
    const deliver = vi.fn(async () => undefined);
    const connector = await create(deliver);
    const error = await connector
      .sendMessage({ to: 'a@example.com\nb@example.com', type: TemplateType.SignIn, payload: {} })
      .catch((caught: unknown) => caught);
    expect((error as ConnectorError).code).toBe('invalid_request_parameters');
    expect(deliver).not.toHaveBeenCalled();
  });
});
