import { ConnectorError, ConnectorErrorCodes, type GetConnectorConfig } from '@logto/connector-kit';
import type { ZodError, ZodType, ZodTypeDef } from 'zod';
import { connectorError } from './errors';

/**
 * Config validation: the guard's defaults are applied (the official connectors validate but then
 * use the raw object, so their own zod defaults never take effect), and failures read as paths.
 */

export type ConfigGuard<Config> = ZodType<Config, ZodTypeDef, unknown>;

/** `templates[2].usageType`, `auth.pass`, `(root)`. */
export const formatIssuePath = (path: ReadonlyArray<string | number>): string =>
  path.length === 0
    ? '(root)'
    : path
        .map((segment, index) =>
          typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
        )
        .join('');

/** `templates[2].usageType: Required; clientId: Required`. */
export const formatZodError = (error: ZodError): string =>
  error.issues.map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`).join('; ');

/** Validates a config, returning it with defaults applied, or throws a readable `invalid_config`. */
export const parseConfig = <Config>(guard: ConfigGuard<Config>, raw: unknown): Config => {
  const result = guard.safeParse(raw);
  if (!result.success) {
    throw connectorError(
      ConnectorErrorCodes.InvalidConfig,
      `Invalid connector configuration: ${formatZodError(result.error)}`,
      { stage: 'config' },
    );
  }
  return result.data;
};

/**
 * Reads the stored config through Logto's `getConfig` and validates it. Whatever `getConfig`
 * throws comes out as a `ConnectorError`.
 */
export const loadConfig = async <Config>(
  getConfig: GetConnectorConfig,
  connectorId: string,
  guard: ConfigGuard<Config>,
): Promise<Config> => {
  let raw: unknown;
  try {
    raw = await getConfig(connectorId);
  } catch (error: unknown) {
    if (error instanceof ConnectorError) {
      throw error;
    }
    throw connectorError(
      ConnectorErrorCodes.General,
      `Could not read the configuration of connector ${connectorId}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return parseConfig(guard, raw);
};
