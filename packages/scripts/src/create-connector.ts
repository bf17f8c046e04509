import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { updateConnectorReadme } from './docs';
import { loadConnectorFromSource } from './load-connector';
import {
  type ConnectorKind,
  connectorTypes,
  defaultId,
  displayNameProblem,
  endpointProblem,
  idProblem,
  nameProblem,
  scopeProblem,
  titleCase,
} from './names';
import { listConnectorPackages, listWorkspacePackages } from './repository';
import { scaffoldTemplate, type TemplateValues, templateDirectory } from './scaffold';
import { addWorkspaceDevDependency, writeFirstReleaseChangeset } from './workspace-edits';

/**
 * `pnpm create-connector <name> --type social|email|sms`: fills `templates/<type>` into
 * `packages/connector-<name>`, adds it to the workspace (compat's devDependencies, a first-release
 * changeset, `pnpm install --offline`), generates its README's configuration table and prints the
 * next steps. Nothing is fetched: every dependency of a template is already in the workspace.
 */

/** The endpoints each kind of template asks for: key, question, default for `<name>`. */
export const endpointQuestions: Record<
  ConnectorKind,
  Array<{ key: string; flag: string; label: string; fallback: (name: string) => string }>
> = {
  social: [
    {
      key: 'authorizationEndpoint',
      flag: 'authorization-endpoint',
      label: 'Authorization endpoint',
      fallback: (name) => `https://${name}.example.com/oauth/authorize`,
    },
    {
      key: 'tokenEndpoint',
      flag: 'token-endpoint',
      label: 'Token endpoint',
      fallback: (name) => `https://${name}.example.com/oauth/token`,
    },
    {
      key: 'userInfoEndpoint',
      flag: 'userinfo-endpoint',
      label: 'Userinfo (profile) endpoint',
      fallback: (name) => `https://${name}.example.com/oauth/userinfo`,
    },
  ],
  email: [
    {
      key: 'sendEndpoint',
      flag: 'send-endpoint',
      label: 'Send-email API endpoint',
      fallback: (name) => `https://${name}.example.com/v1/email/send`,
    },
  ],
  sms: [
    {
      key: 'sendEndpoint',
      flag: 'send-endpoint',
      label: 'Send-SMS API endpoint',
      fallback: (name) => `https://${name}.example.com/v1/sms/send`,
    },
  ],
};

export const defaultScope = 'profile email';

/** What the command line gave; anything missing is asked (in a terminal) or defaulted. */
export type CreateConnectorInput = {
  name?: string;
  kind?: string;
  id?: string;
  target?: string;
  displayName?: string;
  scope?: string;
  /** By flag name: `token-endpoint`, `send-endpoint`... */
  endpoints?: Record<string, string | undefined>;
};

/** Asks one question; returns the answer or the default when the answer is empty. */
export type Ask = (question: string, fallback: string) => Promise<string>;

export type CreateConnectorOptions = {
  root: string;
  input: CreateConnectorInput;
  /** Present when a person is at a terminal. */
  ask?: Ask;
  /** @default true */
  install?: boolean;
  /** @default true */
  changeset?: boolean;
  log?: (line: string) => void;
  /** Runs a command; resolves with its exit code. */
  run?: (command: string, args: string[], cwd: string) => Promise<number>;
};

export class CreateConnectorError extends Error {}

const runCommand = (command: string, args: string[], cwd: string) =>
  new Promise<number>((resolve) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit' });
    child.on('error', () => resolve(127));
    child.on('close', (code) => resolve(code ?? 1));
  });

/**
 * A connector's `metadata.id`, as Logto will see it: the `metadata` export of its
 * `src/constants.ts` (where every connector and template keeps it), else the metadata its factory
 * returns. Needs a TypeScript-aware loader: the CLI runs under tsx, the tests under vitest.
 */
const connectorIdOf = async (directory: string): Promise<string> => {
  const constants = path.join(directory, 'src', 'constants.ts');
  if (existsSync(constants)) {
    const module = (await import(pathToFileURL(constants).href)) as {
      metadata?: { id?: unknown };
    };
    if (typeof module.metadata?.id === 'string') {
      return module.metadata.id;
    }
  }
  return (await loadConnectorFromSource(directory)).metadata.id;
};

/**
 * Ids already used by the repository's connectors (Logto refuses two factories with one id), read
 * from each connector's metadata. A connector whose metadata cannot be read stops the command: a
 * new id cannot be known to be free.
 */
export const existingConnectorIds = async (root: string): Promise<Map<string, string>> => {
  const ids = new Map<string, string>();
  for (const entry of listConnectorPackages(root)) {
    let id: string;
    try {
      id = await connectorIdOf(entry.directory);
    } catch (error: unknown) {
      throw new CreateConnectorError(
        `Could not read the metadata of packages/${entry.folder} to know which ids are taken (${error instanceof Error ? error.message : String(error)}); fix that package (pnpm install?) or remove its folder`,
      );
    }
    ids.set(id, entry.folder);
  }
  return ids;
};

/** Asks (or defaults) a value until it is valid; without a terminal an invalid value is fatal. */
const resolveValue = async (
  given: string | undefined,
  fallback: string,
  question: string,
  problemOf: (value: string) => string | undefined,
  ask: Ask | undefined,
): Promise<string> => {
  if (given !== undefined) {
    const problem = problemOf(given);
    if (problem) {
      throw new CreateConnectorError(problem);
    }
    return given;
  }
  if (!ask) {
    // A default can be wrong too: `<name>-universal` may be another connector's id already.
    const problem = problemOf(fallback);
    if (problem) {
      throw new CreateConnectorError(problem);
    }
    return fallback;
  }
  for (;;) {
    const answer = (await ask(question, fallback)).trim() || fallback;
    const problem = problemOf(answer);
    if (!problem) {
      return answer;
    }
    process.stderr.write(`  ${problem}\n`);
  }
};

/** Validates the input (asking for what is missing) into the template's values. */
export const resolveTemplateValues = async (
  root: string,
  input: CreateConnectorInput,
  ask?: Ask,
): Promise<{ kind: ConnectorKind; values: TemplateValues }> => {
  const folderProblem = (name: string) =>
    nameProblem(name) ??
    (existsSync(path.join(root, 'packages', `connector-${name}`))
      ? `packages/connector-${name} exists already; choose another name (or remove that folder)`
      : listWorkspacePackages(root).some(
            (entry) => entry.manifest.name === `@idplug/connector-${name}`,
          )
        ? `a workspace package is already named @idplug/connector-${name}`
        : undefined);
  if (input.name === undefined && !ask) {
    throw new CreateConnectorError(
      'Give the connector a name: pnpm create-connector <name> --type social|email|sms',
    );
  }
  const name = await resolveValue(input.name, '', 'Connector name (e.g. acme)', folderProblem, ask);
  const kind = (await resolveValue(
    input.kind,
    'social',
    `Type (${connectorTypes.join(', ')})`,
    (value) =>
      (connectorTypes as readonly string[]).includes(value)
        ? undefined
        : `--type must be one of ${connectorTypes.join(', ')} (got "${value}")`,
    ask,
  )) as ConnectorKind;
  const taken = await existingConnectorIds(root);
  const id = await resolveValue(
    input.id,
    defaultId(name, kind),
    'Connector id (metadata.id; keep the official one to replace an official connector)',
    (value) =>
      idProblem(value) ??
      (taken.has(value)
        ? `id "${value}" is used by packages/${taken.get(value)} already`
        : undefined),
    ask,
  );
  const target = await resolveValue(
    input.target,
    name,
    kind === 'social'
      ? "Target (metadata.target: the key of the users' identities)"
      : 'Target (metadata.target)',
    (value) => idProblem(value, 'target'),
    ask,
  );
  const displayName = await resolveValue(
    input.displayName,
    titleCase(name),
    'Display name',
    displayNameProblem,
    ask,
  );
  const endpoints: Record<string, string> = {};
  for (const question of endpointQuestions[kind]) {
    endpoints[question.key] = await resolveValue(
      input.endpoints?.[question.flag],
      question.fallback(name),
      question.label,
      (value) => endpointProblem(value, `--${question.flag}`),
      ask,
    );
  }
  const values: TemplateValues = { name, id, target, displayName, endpoints };
  if (kind === 'social') {
    values.scope = await resolveValue(
      input.scope,
      defaultScope,
      'Default scope',
      scopeProblem,
      ask,
    );
  }
  return { kind, values };
};

const nextSteps = (kind: ConnectorKind, name: string, installed: boolean, changeset: boolean) => {
  const folder = `packages/connector-${name}`;
  const steps = [
    ...(installed ? [] : ['pnpm install']),
    kind === 'social'
      ? `Check the endpoints and scope in ${folder}/src/constants.ts and the profile mapping in ${folder}/src/profile.ts against the provider's documentation.`
      : `Check the endpoint in ${folder}/src/constants.ts and the request body in ${folder}/src/index.ts against the provider's API documentation.`,
    `Adapt the tests in ${folder}/src/index.test.ts to the provider's real answers (msw handlers keyed by its real URLs).`,
    `Write the provider-side set-up in ${folder}/README.md; \`pnpm run docs\` regenerates its configuration table.`,
    `pnpm --filter @idplug/connector-${name} test   (then \`pnpm test\` for everything, including Logto's real loader)`,
    changeset
      ? `Edit the sentence in .changeset/${name}-first-release.md, commit, and open a pull request (see CONTRIBUTING.md).`
      : 'pnpm changeset, commit, and open a pull request (see CONTRIBUTING.md).',
  ];
  return steps.map((step, index) => `  ${index + 1}. ${step}`).join('\n');
};

export const createConnector = async (options: CreateConnectorOptions) => {
  const { root } = options;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const run = options.run ?? runCommand;
  const { kind, values } = await resolveTemplateValues(root, options.input, options.ask);
  const directory = path.join(root, 'packages', `connector-${values.name}`);
  const template = templateDirectory(root, kind);
  if (!existsSync(template)) {
    throw new CreateConnectorError(`${template} is missing`);
  }

  const files = scaffoldTemplate(template, directory, values);
  log(
    `Created packages/connector-${values.name} (${kind}, id ${values.id}): ${files.length} files.`,
  );

  const compatManifest = path.join(root, 'packages', 'compat', 'package.json');
  if (existsSync(compatManifest)) {
    addWorkspaceDevDependency(compatManifest, `@idplug/connector-${values.name}`);
    log(`Added @idplug/connector-${values.name} to packages/compat (Logto's loader test).`);
  }
  if (options.changeset !== false) {
    const changeset = writeFirstReleaseChangeset(
      root,
      values.name,
      kind === 'social'
        ? `${values.displayName} sign-in connector for Logto.`
        : `${values.displayName} ${kind === 'email' ? 'email' : 'SMS'} connector for Logto.`,
    );
    if (changeset) {
      log(`Wrote ${path.relative(root, changeset)}.`);
    }
  }

  let installed = false;
  if (options.install !== false) {
    log('Running pnpm install --offline (every dependency is in the workspace already)...');
    installed = (await run('pnpm', ['install', '--offline'], root)) === 0;
    if (!installed) {
      log('pnpm install --offline failed; trying pnpm install...');
      installed = (await run('pnpm', ['install'], root)) === 0;
    }
    if (!installed) {
      log('pnpm install failed: run it yourself, then `pnpm run docs`.');
    }
  }
  if (installed) {
    const readme = await updateConnectorReadme(directory);
    if (readme.status === 'error') {
      log(`Could not generate the README's configuration table: ${readme.message}`);
    }
  }
  log(`\nNext steps:\n${nextSteps(kind, values.name, installed, options.changeset !== false)}`);
  return { kind, values, directory, installed };
};
