/**
 * The names a new connector needs, derived from its short name (`acme`, `my-mail`) and checked
 * before anything is written.
 */

export const connectorTypes = ['social', 'email', 'sms'] as const;
export type ConnectorKind = (typeof connectorTypes)[number];

/** npm's rules for the unscoped part, narrowed to what reads well as a folder and an id. */
const namePattern = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/** Logto stores configs by connector id and identities by target; keep both URL- and key-safe. */
const idPattern = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;

/** Returns why a short connector name is unusable, or undefined when it is fine. */
export const nameProblem = (name: string): string | undefined => {
  if (name.startsWith('connector-')) {
    return `give the name without the "connector-" prefix (${name.slice('connector-'.length)}): the package becomes @idplug/connector-<name>`;
  }
  if (!namePattern.test(name)) {
    return `"${name}" is not a valid connector name: use lowercase letters, digits and single dashes, starting with a letter (e.g. acme, my-mail)`;
  }
  if (name.length > 40) {
    return `"${name}" is longer than 40 characters`;
  }
  return undefined;
};

export const idProblem = (id: string, label = 'id'): string | undefined =>
  idPattern.test(id) && id.length <= 64
    ? undefined
    : `"${id}" is not a valid connector ${label}: use lowercase letters, digits, "-" or "_", starting with a letter, at most 64 characters (e.g. acme-universal)`;

/** Display names go into TS and JSON string literals and Markdown: refuse what would need escaping. */
export const displayNameProblem = (displayName: string): string | undefined =>
  displayName.trim() !== '' && displayName.length <= 60 && !/["'`\\<>{}$\r\n]/.test(displayName)
    ? undefined
    : `"${displayName}" is not a usable display name: 1 to 60 characters, without quotes, backslashes, <, >, {, }, $ or line breaks`;

const isLoopbackHost = (hostname: string) => ['localhost', '127.0.0.1', '[::1]'].includes(hostname);

/** An endpoint is an absolute https URL (http only for loopback emulators), without quotes. */
export const endpointProblem = (value: string, label: string): string | undefined => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${label} "${value}" is not an absolute URL`;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return `${label} "${value}" must be an https:// URL (http:// only for localhost)`;
  }
  if (/["'`\\\s]/.test(value)) {
    return `${label} "${value}" contains quotes, backslashes or spaces`;
  }
  return undefined;
};

export const scopeProblem = (scope: string): string | undefined =>
  /^[\x21\x23-\x5B\x5D-\x7E]+(?: [\x21\x23-\x5B\x5D-\x7E]+)*$/.test(scope) && !/['`]/.test(scope)
    ? undefined
    : `"${scope}" is not a valid scope: space-separated scope tokens (RFC 6749 §3.3)`;

const words = (name: string) => name.split('-').filter(Boolean);
const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** `my-mail` -> `MyMail` */
export const pascalCase = (name: string) => words(name).map(capitalize).join('');
/** `my-mail` -> `myMail` */
export const camelCase = (name: string) => {
  const pascal = pascalCase(name);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
};
/** `my-mail` -> `My Mail` */
export const titleCase = (name: string) => words(name).map(capitalize).join(' ');

/** Logto's official ids end in the platform or the channel (`github-universal`, `aliyun-sms`). */
export const defaultId = (name: string, kind: ConnectorKind) =>
  `${name}-${kind === 'social' ? 'universal' : kind}`;
