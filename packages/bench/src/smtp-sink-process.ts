/**
 * The SMTP sink of the benchmark, in its own process: the server gets its own event loop (and
 * core), as a real mail server would, so neither connector pays for the other's server work.
 * Talks to the parent over the IPC channel of `child_process.fork`.
 */
import { startSmtpSink } from '@idplug/emulators';

type Request = { id: number; type: 'reset' | 'stats' | 'stop' };

const tls = process.env.BENCH_SMTP_TLS === 'none' ? 'none' : 'starttls';
const sink = await startSmtpSink({
  tls,
  auth: { user: 'bench@example.com', pass: 'bench-password' },
});

const send = (message: unknown) => process.send?.(message);

process.on('message', async (request: Request) => {
  if (request.type === 'reset') {
    sink.reset();
    send({ id: request.id });
  } else if (request.type === 'stats') {
    send({ id: request.id, connections: { ...sink.connections }, messages: sink.messages.length });
  } else if (request.type === 'stop') {
    await sink.stop();
    send({ id: request.id });
    process.exit(0);
  }
});

send({ ready: true, host: sink.host, port: sink.port, ca: sink.tls?.ca, tls });
