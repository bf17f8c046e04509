import { amazonSesRegions } from '@idplug/base';

/**
 * `preset`: host, port and `secure` of common submission services, from each provider's SMTP
 * documentation. Keys the config sets itself win over the preset's.
 */

type Preset = { host: string; port: number; secure: boolean; title: string };

const fixedPresets: Record<string, Preset> = {
  // https://support.google.com/a/answer/176600 (implicit TLS on 465)
  gmail: { host: 'smtp.gmail.com', port: 465, secure: true, title: 'Gmail / Google Workspace' },
  // Exchange Online client submission (SMTP AUTH), STARTTLS on 587
  office365: {
    host: 'smtp.office365.com',
    port: 587,
    secure: false,
    title: 'Microsoft 365 (Exchange Online)',
  },
  // https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api
  sendgrid: { host: 'smtp.sendgrid.net', port: 587, secure: false, title: 'SendGrid' },
  // https://postmarkapp.com/developer/user-guide/send-email-with-smtp
  postmark: { host: 'smtp.postmarkapp.com', port: 587, secure: false, title: 'Postmark' },
  // https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp
  mailgun: { host: 'smtp.mailgun.org', port: 587, secure: false, title: 'Mailgun' },
  // https://resend.com/docs/send-with-smtp
  resend: { host: 'smtp.resend.com', port: 465, secure: true, title: 'Resend' },
};

/**
 * `ses-<region>`, e.g. `ses-eu-west-1`: Amazon SES's regional SMTP endpoint, STARTTLS on 587
 * (https://docs.aws.amazon.com/ses/latest/dg/smtp-connect.html); `.amazonaws.com.cn` in China.
 */
const sesPresetPattern = /^ses-([a-z]{2}(?:-[a-z]+)+-\d)$/;

export const presetNames = [...Object.keys(fixedPresets), 'ses-<region>'];

export const presetOf = (name: string): Preset | undefined => {
  if (Object.hasOwn(fixedPresets, name)) {
    return fixedPresets[name];
  }
  const region = sesPresetPattern.exec(name)?.[1];
  return region
    ? {
        host: `email-smtp.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`,
        port: 587,
        secure: false,
        title: `Amazon SES (${region})`,
      }
    : undefined;
};

/**
 * The presets as the console's select offers them: every fixed one, then SES in each region it
 * has an endpoint in (a region added later still works typed into the JSON config).
 */
export const presetSelectItems: Array<{ value: string; title: string }> = [
  ...Object.entries(fixedPresets).map(([value, { title }]) => ({ value, title })),
  ...amazonSesRegions.map((region) => ({
    value: `ses-${region}`,
    title: presetOf(`ses-${region}`)?.title ?? region,
  })),
];

/** The raw config with the preset's values under the keys it does not set itself. */
export const withPresetDefaults = (raw: unknown): unknown => {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return raw;
  }
  const config = raw as Record<string, unknown>;
  const preset = typeof config.preset === 'string' ? presetOf(config.preset) : undefined;
  if (!preset) {
    return raw;
  }
  // Unset as the console saves it: an emptied input is `""`, an untouched number input `null`.
  const isSet = (key: string) =>
    config[key] !== undefined &&
    config[key] !== null &&
    config[key] !== '' &&
    !Number.isNaN(config[key]);
  // The TLS mode belongs to the port. With the preset's port comes the preset's mode, whatever
  // `secure` says: a form's Secure switch saves `false` even when left alone, and any other value
  // on 465 or 587 would be refused as a port/TLS mismatch anyway. With a port of its own, the
  // config decides (unset: nodemailer's choice for that port).
  const portFromPreset = !isSet('port');
  return {
    ...config,
    ...(!isSet('host') && { host: preset.host }),
    ...(portFromPreset && { port: preset.port, secure: preset.secure }),
    ...(!portFromPreset &&
      !isSet('secure') &&
      config.port === preset.port && { secure: preset.secure }),
  };
};
