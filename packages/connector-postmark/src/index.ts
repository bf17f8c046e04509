import { defineEmailConnector } from '@idplug/base';
import type { CreateConnector, EmailConnector } from '@logto/connector-kit';
import { postmarkConfigGuard } from './config';
import { metadata, providerName } from './constants';
import { sendEmail } from './send-email';

/**
 * Postmark for Logto. Template choice (Logto's localized template, then the config's for the usage
 * type, then `Generic`), rendering with escaped HTML values and a text part, the single-recipient
 * check and secret-free errors come from `@idplug/base`; this connector posts to `/email`, or to
 * `/email/withTemplate` for a Postmark-side template.
 */
const createPostmarkConnector: CreateConnector<EmailConnector> = defineEmailConnector({
  metadata,
  configGuard: postmarkConfigGuard,
  providerName,
  // A Postmark-side template has nothing to render here: it is filled by Postmark.
  templatesOf: (config) =>
    config.templates.map((template) => ({
      ...template,
      subject: template.subject ?? '',
      content: template.content ?? '',
    })),
  deliver: sendEmail,
});

export default createPostmarkConnector;
