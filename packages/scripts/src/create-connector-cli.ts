import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import {
  type Ask,
  CreateConnectorError,
  createConnector,
  endpointQuestions,
} from './create-connector';
import { findRepositoryRoot } from './repository';

const usage = `Usage: pnpm create-connector <name> --type social|email|sms [options]

Creates packages/connector-<name> from templates/<type>. In a terminal, asks for what the flags
do not give; otherwise uses the defaults shown in brackets.

Options:
  --type social|email|sms         [social]
  --id <id>                       metadata.id [<name>-universal | <name>-email | <name>-sms]
  --target <target>               metadata.target [<name>]
  --display-name <name>           [the name in title case]
  --authorization-endpoint <url>  social [https://<name>.example.com/oauth/authorize]
  --token-endpoint <url>          social [https://<name>.example.com/oauth/token]
  --userinfo-endpoint <url>       social [https://<name>.example.com/oauth/userinfo]
  --scope <scope>                 social [profile email]
  --send-endpoint <url>           email and sms [https://<name>.example.com/v1/{email,sms}/send]
  --yes                           ask nothing, even in a terminal
  --no-install                    skip pnpm install
  --no-changeset                  skip the first-release changeset
`;

const endpointFlags = [
  ...new Set(Object.values(endpointQuestions).flatMap((list) => list.map((item) => item.flag))),
];

const main = async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      type: { type: 'string' },
      id: { type: 'string' },
      target: { type: 'string' },
      'display-name': { type: 'string' },
      scope: { type: 'string' },
      ...Object.fromEntries(endpointFlags.map((flag) => [flag, { type: 'string' as const }])),
      yes: { type: 'boolean', default: false },
      'no-install': { type: 'boolean', default: false },
      'no-changeset': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    return;
  }
  if (positionals.length > 1) {
    throw new CreateConnectorError(`One name at a time (got ${positionals.join(', ')})`);
  }
  const interactive = process.stdin.isTTY === true && !values.yes;
  const readline = interactive
    ? createInterface({ input: process.stdin, output: process.stdout })
    : undefined;
  const ask: Ask | undefined = readline
    ? (question, fallback) => readline.question(`${question}${fallback ? ` [${fallback}]` : ''}: `)
    : undefined;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  try {
    await createConnector({
      root: findRepositoryRoot(),
      input: {
        name: positionals[0],
        kind: text(values.type),
        id: text(values.id),
        target: text(values.target),
        displayName: text(values['display-name']),
        scope: text(values.scope),
        endpoints: Object.fromEntries(
          endpointFlags.map((flag) => [flag, text((values as Record<string, unknown>)[flag])]),
        ),
      },
      ...(ask && { ask }),
      install: !values['no-install'],
      changeset: !values['no-changeset'],
    });
  } finally {
    readline?.close();
  }
};

main().catch((error: unknown) => {
  if (
    error instanceof CreateConnectorError ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  ) {
    process.stderr.write(`create-connector: ${(error as Error).message}\n\n${usage}`);
  } else {
    process.stderr.write(
      `create-connector: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exitCode = 1;
});
