/**
 * `pnpm playground`: starts the emulators and the playground on 127.0.0.1 and prints its URL.
 * Options: `--port <n>` (or PORT; 5175 by default, so the callback URL registered at a real
 * provider stays valid across restarts; a taken port falls back to a free one, with a message),
 * `--built` to load each connector's built `lib/index.js` (the file Logto loads) instead of its
 * source, `--compare` to send each test message through the official `@logto/connector-*` package
 * too (where installed), into the same emulator, and show both results side by side.
 */
import { parseArgs } from 'node:util';
import { defaultLastRunFile, readLastBaseUrl, writeLastBaseUrl } from './last-run';
import { defaultPlaygroundPort, startPlayground } from './playground';

// `pnpm playground -- --port 3100` hands the script a literal `--` first.
const args = process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === '--'));
const { values } = parseArgs({
  args,
  options: {
    port: { type: 'string' },
    built: { type: 'boolean', default: false },
    compare: { type: 'boolean', default: false },
  },
  allowPositionals: true,
});

const portText = values.port ?? process.env.PORT ?? String(defaultPlaygroundPort);
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`Not a port: ${portText}`);
  process.exit(2);
}

const lastRunFile = process.env.PLAYGROUND_LAST_RUN_FILE ?? defaultLastRunFile();
const previousBaseUrl = await readLastBaseUrl(lastRunFile);
const playground = await startPlayground({
  port,
  fallbackToFreePort: true,
  previousBaseUrl,
  source: values.built ? 'lib' : 'src',
  compare: values.compare,
}).catch((error: unknown) => {
  console.error(
    `The playground could not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
await writeLastBaseUrl(lastRunFile, playground.url).catch(() => undefined);
const { emulators } = playground;
if (playground.portInUse !== undefined) {
  console.log(
    `Port ${playground.portInUse} is in use (another playground?), so this one listens on a free port instead. Callback URLs registered at a real provider for port ${playground.portInUse} do not match this run; stop the other process or pass --port <n>.`,
  );
}
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
if (values.compare) {
  console.log(
    '  compare mode: each test email/SMS also goes through the official @logto package (where installed) into the same emulator; after a GitHub or Google sign-in, the official package signs in on its own trip to the emulator.',
  );
}
console.log('  Ctrl+C to stop.');

// Ctrl+C is how a user ends the playground: a clean stop and exit code 0, so pnpm reports no
// failed run. A second Ctrl+C while stopping exits at once (still 0: the user asked for it).
let stopping = false;
const stop = () => {
  if (stopping) {
    process.exit(0);
  }
  stopping = true;
  console.log('Stopping the playground…');
  void playground.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('The playground did not stop cleanly:', error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
