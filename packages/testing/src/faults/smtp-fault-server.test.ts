import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type SmtpFaultServer, startSmtpFaultServer } from './smtp-fault-server';

/** A raw SMTP client: sends lines, collects what the server says until it goes quiet or closes. */
const talk = (server: SmtpFaultServer, lines: string[], quietMs = 150) =>
  new Promise<{ received: string; ended: 'closed' | 'reset' | 'quiet' | 'refused' }>((resolve) => {
    let received = '';
    const socket: Socket = connect(server.port, server.host);
    let timer: NodeJS.Timeout | undefined;
    const settle = (ended: 'closed' | 'reset' | 'quiet' | 'refused') => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ received, ended });
    };
    const quiet = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const next = lines.shift();
        if (next === undefined) {
          settle('quiet');
        } else {
          socket.write(`${next}\r\n`);
          quiet();
        }
      }, quietMs);
    };
    socket.on('connect', quiet);
    socket.on('data', (chunk) => {
      received += chunk.toString();
      quiet();
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      settle(error.code === 'ECONNREFUSED' ? 'refused' : 'reset'),
    );
    socket.on('end', () => settle('closed'));
  });

let server: SmtpFaultServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('the SMTP fault server', () => {
  it('accepts the connection and never greets', async () => {
    server = await startSmtpFaultServer('never-greets');
    const { received, ended } = await talk(server, [], 300);
    expect(received).toBe('');
    expect(ended).toBe('quiet');
  });

  it('greets, then never answers EHLO', async () => {
    server = await startSmtpFaultServer('greets-then-silent');
    const { received, ended } = await talk(server, ['EHLO client']);
    expect(received).toMatch(/^220 /);
    expect(received).not.toContain('250');
    expect(ended).toBe('quiet');
  });

  it('refuses at once with a 421 greeting', async () => {
    server = await startSmtpFaultServer('greeting-421');
    const { received, ended } = await talk(server, []);
    expect(received).toMatch(/^421 /);
    expect(ended).toBe('closed');
  });

  it('throttles MAIL FROM with 421 and closes', async () => {
    server = await startSmtpFaultServer('throttled-421');
    const { received } = await talk(server, [
      'EHLO client',
      'AUTH PLAIN AGEAcA==',
      'MAIL FROM:<a@example.com>',
    ]);
    expect(received).toContain('250-AUTH PLAIN LOGIN');
    expect(received).toContain('235 ');
    expect(received).toMatch(/421 4\.7\.0/);
    expect(server.commands).toEqual(['EHLO', 'AUTH', 'MAIL']);
  });

  it('resets the connection at MAIL FROM', async () => {
    server = await startSmtpFaultServer('reset-mid-session');
    const { ended } = await talk(server, ['EHLO client', 'MAIL FROM:<a@example.com>']);
    expect(ended).toBe('reset');
  });

  it('rejects the recipient with 550', async () => {
    server = await startSmtpFaultServer('rejected-550');
    const rejected = await talk(server, [
      'EHLO client',
      'MAIL FROM:<a@example.com>',
      'RCPT TO:<b@example.com>',
    ]);
    expect(rejected.received).toMatch(/550 5\.7\.1/);
  });

  it('answers AUTH LOGIN prompts without recording the credentials', async () => {
    server = await startSmtpFaultServer('rejected-550');
    const { received } = await talk(server, [
      'EHLO client',
      'AUTH LOGIN',
      'dXNlcg==',
      'c2VjcmV0',
      'QUIT',
    ]);
    expect(received).toContain('334 VXNlcm5hbWU6');
    expect(received).toContain('334 UGFzc3dvcmQ6');
    expect(received).toContain('235 ');
    expect(server.commands).toEqual(['EHLO', 'AUTH', 'QUIT']);
  });

  it('has nothing listening on a dead port', async () => {
    server = await startSmtpFaultServer('dead-port');
    const { ended } = await talk(server, []);
    expect(ended).toBe('refused');
  });
});
