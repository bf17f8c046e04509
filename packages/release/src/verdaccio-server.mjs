// @ts-check
/**
 * A Verdaccio 5 registry on 127.0.0.1, run in its own process by registry.ts: `fork`ed with the
 * path of a JSON configuration, it listens on a free port, reports `{ port }` over IPC, and exits
 * when its parent goes away (the IPC channel closes), so a crashed rehearsal leaves no registry
 * behind.
 */
import { readFile } from 'node:fs/promises';
import { runServer } from 'verdaccio';

const configPath = process.argv[2];
if (!configPath || !process.send) {
  console.error('usage: fork(verdaccio-server.mjs, [<config.json>]) from a parent process');
  process.exit(2);
}

const config = JSON.parse(await readFile(configPath, 'utf8'));
const server = await runServer(config);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : undefined });
});

const stop = () => server.close(() => process.exit(0));
process.on('disconnect', stop);
process.on('SIGTERM', stop);
