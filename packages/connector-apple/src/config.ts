import { z } from 'zod';

/**
 * The official config (`clientId`, `scope`) with the same meaning, plus the optional signing key
 * of the code flow: `teamId`, `keyId` and `privateKey` come together or not at all.
 * Nothing here can throw: Logto's console validates with this guard itself.
 */

const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** Apple's Team IDs and Key IDs are 10 upper-case letters and digits. */
const appleIdentifier = (what: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9]{10}$/, `must be your Apple ${what}: 10 letters and digits`)
      .optional(),
  );

const signingKeyFields = ['teamId', 'keyId', 'privateKey'] as const;

export const appleConfigGuard = z
  .object({
    clientId: z
      .string()
      .trim()
      .min(1, 'Required')
      .describe(
        'The Services ID (such as `com.example.web`), not the App ID: ID tokens must be issued to it.',
      ),
    /** As in the official connector: sent as is, nothing when absent. */
    scope: z.string().optional(),
    teamId: appleIdentifier('Team ID').describe(
      'Your Apple Developer Team ID. With `keyId` and `privateKey`, turns on the code flow.',
    ),
    keyId: appleIdentifier('Key ID').describe('The ID of the Sign in with Apple key.'),
    privateKey: z
      .preprocess(blankToUndefined, z.string().optional())
      .describe(
        'The `.p8` file of the Sign in with Apple key (a PKCS #8 PEM). Never appears in an error.',
      ),
  })
  .superRefine((config, context) => {
    const present = signingKeyFields.filter((field) => config[field] !== undefined);
    if (present.length > 0 && present.length < signingKeyFields.length) {
      const missing = signingKeyFields.filter((field) => config[field] === undefined);
      context.addIssue({
        code: z.ZodIssueCode.custom,
        path: [missing[0] ?? 'teamId'],
        message: `the code flow needs \`teamId\`, \`keyId\` and \`privateKey\` together; \`${missing.join('`, `')}\` missing (leave all three empty for the ID-token-only mode)`,
      });
    }
  });

export type AppleConfig = z.infer<typeof appleConfigGuard>;

export type AppleSigningKey = {
  teamId: string;
  keyId: string;
  privateKey: string;
};

/** The signing key of the code flow, or `undefined` in the official ID-token-only mode. */
export const signingKeyOf = (config: AppleConfig): AppleSigningKey | undefined =>
  config.teamId && config.keyId && config.privateKey
    ? { teamId: config.teamId, keyId: config.keyId, privateKey: config.privateKey }
    : undefined;
