import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { generateLoopbackTlsCertificate } from './tls-certificate';

describe('generateLoopbackTlsCertificate', () => {
  it('produces a leaf a client verifies against the CA, by IP and by name', async () => {
    const pems = await generateLoopbackTlsCertificate();
    const server = tls.createServer({ key: pems.key, cert: pems.cert }, (socket) =>
      socket.end('hi'),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      for (const servername of [undefined, 'localhost']) {
        const socket = tls.connect({ host: '127.0.0.1', port, ca: pems.ca, servername });
        await once(socket, 'secureConnect');
        expect(socket.authorized).toBe(true);
        expect(socket.getPeerX509Certificate()?.fingerprint256).toBe(pems.fingerprint256);
        socket.destroy();
      }
      const untrusted = tls.connect({ host: '127.0.0.1', port });
      const [error] = await once(untrusted, 'error');
      expect((error as NodeJS.ErrnoException).code).toMatch(
        /SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/,
      );
    } finally {
      server.close();
    }
  });
});
