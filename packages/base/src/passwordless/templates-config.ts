import { TemplateType } from '@logto/connector-kit';
import { z } from 'zod';

/**
 * The `templates` of an email or SMS connector's config, written once: every usage type Logto
 * sends (SignIn, Register, ForgotPassword, ...) falls back to the `Generic` template, so a list
 * without one is refused when the operator saves it rather than at the first sign-in.
 */
export const templateListGuard = <Template extends z.ZodType<{ usageType: string }>>(
  templateGuard: Template,
) =>
  z
    .array(templateGuard)
    .refine((templates) => templates.some(({ usageType }) => usageType === TemplateType.Generic), {
      message:
        'A template with usageType "Generic" is required: every other usage type falls back to it',
    });

/** An email template as most email APIs take it: subject, content, content type, reply-to. */
export const emailTemplateGuard = z.object({
  usageType: z.string(),
  subject: z.string(),
  /** With `{{code}}` and other payload values; HTML or plain text. */
  content: z.string(),
  /** Decides the HTML or the text part; guessed from the content when absent. */
  contentType: z.enum(['text/html', 'text/plain']).optional(),
  /** Reply-To for this template. */
  replyTo: z.string().optional(),
});

/**
 * The templates an email connector's form is prefilled with: one per usage type Logto sends, each
 * working as it is (the operator edits the wording, not the shape).
 */
export const defaultEmailTemplates: ReadonlyArray<{
  usageType: string;
  subject: string;
  content: string;
}> = [
  [TemplateType.SignIn, 'Your sign-in code', 'Your sign-in verification code is {{code}}.'],
  [TemplateType.Register, 'Your sign-up code', 'Your sign-up verification code is {{code}}.'],
  [
    TemplateType.ForgotPassword,
    'Your password reset code',
    'Your password reset verification code is {{code}}.',
  ],
  [TemplateType.Generic, 'Your verification code', 'Your verification code is {{code}}.'],
].map(([usageType = '', subject = '', content = '']) => ({
  usageType,
  subject,
  content: `${content} It expires in 10 minutes.`,
}));
