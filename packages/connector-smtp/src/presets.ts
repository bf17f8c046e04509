/**
 * `preset`: host, port and `secure` of common submission services, from each provider's SMTP
 * documentation. Keys the config sets itself win over the preset's.
 */

type Preset = { host: string; port: number; secure: boolean };

const fixedPresets: Record<string, Preset> = {
  // https://support.google.com/a/answer/176600 (implicit TLS on 465)
  gmail: { host: 'smtp.gmail.com', port: 465, secure: true },
  // Exchange Online client submission (SMTP AUTH), STARTTLS on 587
  office365: { host: 'smtp.office365.com', port: 587, secure: false },
  // https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api
  sendgrid: { host: 'smtp.sendgrid.net', port: 587, secure: false },
  // https://postmarkapp.com/developer/user-guide/send-email-with-smtp
  postmark: { host: 'smtp.postmarkapp.com', port: 587, secure: false },
  // https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp
  mailgun: { host: 'smtp.mailgun.org', port: 587, secure: false },
  // https://resend.com/docs/send-with-smtp
  resend: { host: 'smtp.resend.com', port: 465, secure: true },
};

/** `ses-<region>`, e.g. `ses-eu-west-1`: Amazon SES's regional SMTP endpoint, STARTTLS on 587. */
const sesPresetPattern = /^ses-([a-z]{2}(?:-[a-z]+)+-\d)$/;

export const presetNames = [...Object.keys(fixedPresets), 'ses-<region>'];

export const presetOf = (name: string): Preset | undefined => {
  if (Object.hasOwn(fixedPresets, name)) {
    return fixedPresets[name];
  }
  const region = sesPresetPattern.exec(name)?.[1];
  return region
    ? { host: `email-smtp.${region}.amazonaws.com`, port: 587, secure: false }
    : undefined;
};

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
  const isSet = (key: string) =>
    config[key] !== undefined && config[key] !== null && config[key] !== '';
  return {
    ...config,
    ...(!isSet('host') && { host: preset.host }),
    ...(!isSet('port') && { port: preset.port }),
    // The TLS mode belongs to the port: with a port of its own, the config's port decides it.
    ...(!isSet('secure') &&
      (!isSet('port') || config.port === preset.port) && { secure: preset.secure }),
  };
};
