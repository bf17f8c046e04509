/**
 * `pnpm playground`: starts the emulators and the playground on 127.0.0.1 and prints its URL.
 * Options: `--port <n>` (or PORT; a free port by default, but a fixed one keeps the callback URL
 * registered at a real provider valid across restarts), `--built` to load each connector's built
 * `lib/index.js` (the file Logto loads) instead of its source.
 */
import { parseArgs } from 'node:util';
import { startPlayground } from './playground';

// `pnpm playground -- --port 3100` hands the script a literal `--` first.
const args = process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === '--'));
const { values } = parseArgs({
  args,
  options: {
    port: { type: 'string' },
    built: { type: 'boolean', default: false },
  },
  allowPositionals: true,
});

const portText = values.port ?? process.env.PORT ?? '0';
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`Not a port: ${portText}`);
  process.exit(2);
}

const playground = await startPlayground({ port, source: values.built ? 'lib' : 'src' });
const { emulators } = playground;
console.log(`idplug playground: ${playground.url}`);
console.log(
  `  connectors: ${playground.connectors.map((connector) => connector.slug).join(', ') || '(none)'}`,
);
for (const entry of playground.broken) {
  console.log(`  could not load connector-${entry.slug}: ${entry.error}`);
}
console.log(
  `  emulators: OpenID Provider ${emulators.oidc.issuer}, GitHub ${emulators.github.baseUrl}, Google ${emulators.google.issuer}, SMTP ${emulators.smtp.host}:${emulators.smtp.port}, Aliyun DM ${emulators.aliyun.url}`,
);
console.log('  Ctrl+C to stop.');

let stopping = false;
const stop = () => {
  if (stopping) {
    process.exit(1);
  }
  stopping = true;
  void playground.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
