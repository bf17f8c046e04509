import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectorType, TemplateType } from '@logto/connector-kit';
import {
  describeError,
  finishSignIn,
  type PendingSignIn,
  sendTestEmail,
  startSignIn,
} from './connector-runs';
import {
  type ConnectorSource,
  type DiscoveredConnector,
  type DiscoveryResult,
  discoverConnectors,
  readLogo,
} from './discovery';
import { type Emulators, startEmulators } from './emulators';
import {
  type FieldErrors,
  type FormValues,
  formValuesToConfig,
  initialFormValues,
  readFormValues,
  validateWithGuard,
} from './form';
import {
  type ActionResult,
  type EmailFormValues,
  renderConnectorPage,
  renderIndex,
  renderNotFound,
} from './pages';

/**
 * The playground's web server: plain node:http on 127.0.0.1, server-rendered pages, and per-browser
 * state (form values, the pending sign-in with its connector session, the last result) kept in
 * memory under a cookie, the way Logto keeps a sign-in's connector session server-side.
 */

export type PlaygroundOptions = {
  /** @default 0 (a free port) */
  port?: number;
  /** Import connectors from `src` (tsx) or their built `lib`. @default 'src' */
  source?: ConnectorSource;
  /** Where the `connector-*` folders are. @default this workspace's `packages/` */
  packagesDirectory?: string;
};

export type Playground = {
  /** `http://127.0.0.1:<port>` */
  url: string;
  connectors: DiscoveredConnector[];
  broken: DiscoveryResult['broken'];
  emulators: Emulators;
  stop(): Promise<void>;
};

type ConnectorState = {
  values?: FormValues;
  errors?: FieldErrors;
  email?: EmailFormValues;
  result?: ActionResult;
  pending?: PendingSignIn;
};

type BrowserSession = Map<string, ConnectorState>;

const MAX_BODY_BYTES = 1024 * 1024;

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('The form is larger than 1 MiB');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const sendHtml = (response: ServerResponse, status: number, html: string) => {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // Pages are the playground's own markup; received emails render in a sandboxed iframe.
    'content-security-policy':
      "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; frame-src 'self'; form-action *; base-uri 'none'",
  });
  response.end(html);
};

const redirect = (response: ServerResponse, location: string) => {
  response.writeHead(303, { location, 'cache-control': 'no-store' });
  response.end();
};

const randomCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

const isTemplateType = (value: string): value is TemplateType =>
  (Object.values(TemplateType) as string[]).includes(value);

export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const { connectors, broken } = await discoverConnectors({
    ...(options.packagesDirectory !== undefined && {
      packagesDirectory: options.packagesDirectory,
    }),
    ...(options.source !== undefined && { source: options.source }),
  });
  const bySlug = new Map(connectors.map((connector) => [connector.slug, connector]));
  const sessions = new Map<string, BrowserSession>();
  let baseUrl = '';
  let cookieName = '';

  const callbackUrl = (connector: DiscoveredConnector) => `${baseUrl}/callback/${connector.slug}`;
  // Filled in once the server listens (the OpenID Provider needs exact callback URLs).
  let emulators: Emulators | undefined;

  const sessionOf = (request: IncomingMessage, response: ServerResponse): BrowserSession => {
    const cookies = new Map(
      (request.headers.cookie ?? '').split(';').map((pair) => {
        const [name = '', ...value] = pair.trim().split('=');
        return [name, value.join('=')] as const;
      }),
    );
    const existing = cookies.get(cookieName);
    if (existing !== undefined && sessions.has(existing)) return sessions.get(existing)!;
    const id = randomBytes(24).toString('base64url');
    const session: BrowserSession = new Map();
    sessions.set(id, session);
    // Lax: the callback is a top-level navigation back from the provider, and carries it.
    response.setHeader('set-cookie', `${cookieName}=${id}; Path=/; HttpOnly; SameSite=Lax`);
    return session;
  };

  const stateOf = (session: BrowserSession, slug: string) => {
    let state = session.get(slug);
    if (state === undefined) {
      state = {};
      session.set(slug, state);
    }
    return state;
  };

  const presetOf = (connector: DiscoveredConnector) =>
    emulators?.presets.get(connector.metadata.id);

  const defaultValues = (connector: DiscoveredConnector) =>
    initialFormValues(connector.metadata.formItems, presetOf(connector)?.config ?? {});

  const defaultEmail = (): EmailFormValues => ({
    to: 'alice@example.com',
    usageType: TemplateType.Generic,
    locale: 'en',
    code: randomCode(),
  });

  const showConnector = (
    response: ServerResponse,
    connector: DiscoveredConnector,
    state: ConnectorState,
  ) => {
    const values = state.values ?? defaultValues(connector);
    const { config } = formValuesToConfig(connector.metadata.formItems, values);
    const preset = presetOf(connector);
    sendHtml(
      response,
      200,
      renderConnectorPage({
        connector,
        preset,
        values,
        errors: state.errors ?? {},
        currentConfigUsesEmulator: preset?.usesEmulator(config) ?? false,
        callbackUrl: callbackUrl(connector),
        email: state.email ?? defaultEmail(),
        result: state.result,
      }),
    );
  };

  const act = async (
    request: IncomingMessage,
    response: ServerResponse,
    connector: DiscoveredConnector,
    state: ConnectorState,
  ) => {
    const body = await readForm(request);
    const action = body.get('action') ?? 'validate';
    const page = `/connectors/${connector.slug}#result`;
    if (action === 'reset') {
      delete state.values;
      delete state.errors;
      delete state.result;
      return redirect(response, `/connectors/${connector.slug}`);
    }

    const { formItems } = connector.metadata;
    const values = readFormValues(formItems, body);
    state.values = values;
    if (connector.type === ConnectorType.Email) {
      state.email = {
        to: body.get('email.to') ?? '',
        usageType: body.get('email.usageType') ?? TemplateType.Generic,
        locale: body.get('email.locale') ?? '',
        code: body.get('email.code') ?? '',
      };
    }
    const { config, errors } = formValuesToConfig(formItems, values);
    const validation =
      Object.keys(errors).length > 0
        ? ({ ok: false, errors } as const)
        : validateWithGuard(connector.configGuard, config, formItems);
    state.errors = validation.ok ? {} : validation.errors;
    if (!validation.ok) {
      state.result = { kind: 'invalid' };
      return redirect(response, page);
    }
    const preset = presetOf(connector);

    if (action === 'sign-in' && connector.type === ConnectorType.Social) {
      try {
        state.pending = await startSignIn(
          connector,
          config,
          preset,
          callbackUrl(connector),
          request.headers['user-agent'],
        );
        delete state.result;
        return redirect(response, state.pending.authorizationUri);
      } catch (error) {
        state.result = {
          kind: 'failed',
          during: 'getAuthorizationUri',
          error: describeError(error),
        };
        return redirect(response, page);
      }
    }

    if (action === 'send' && connector.type === ConnectorType.Email) {
      const email = state.email!;
      if (!isTemplateType(email.usageType)) {
        state.result = {
          kind: 'failed',
          during: 'sendMessage',
          error: {
            code: undefined,
            message: `Unknown usage type ${email.usageType}`,
            data: undefined,
            isConnectorError: false,
          },
        };
        return redirect(response, page);
      }
      try {
        const sent = await sendTestEmail(connector, config, preset, {
          to: email.to,
          usageType: email.usageType,
          locale: email.locale,
          code: email.code,
        });
        state.result = {
          kind: 'sent',
          to: email.to,
          usageType: email.usageType,
          locale: email.locale,
          ...sent,
        };
        // A fresh code for the next message, as a real sign-in would have.
        state.email = { ...email, code: randomCode() };
      } catch (error) {
        state.result = { kind: 'failed', during: 'sendMessage', error: describeError(error) };
      }
      return redirect(response, page);
    }

    state.result = { kind: 'valid', parsed: validation.data };
    return redirect(response, page);
  };

  const callback = async (
    response: ServerResponse,
    connector: DiscoveredConnector,
    state: ConnectorState,
    url: URL,
  ) => {
    const parameters = Object.fromEntries(url.searchParams);
    const pending = state.pending;
    const page = `/connectors/${connector.slug}#result`;
    if (pending === undefined) {
      state.result = {
        kind: 'failed',
        during: 'The callback',
        error: {
          code: undefined,
          message:
            'No sign-in is pending in this browser (it was finished already, or the playground restarted). Start again.',
          data: undefined,
          isConnectorError: false,
        },
      };
      return redirect(response, page);
    }
    // Logto's experience app checks the state it generated before handing the callback over.
    if (parameters.state !== pending.state) {
      state.result = {
        kind: 'failed',
        during: 'The callback',
        error: {
          code: undefined,
          message: "The callback's `state` is not the one this sign-in sent: refused (CSRF check).",
          data: { state: parameters.state ?? null },
          isConnectorError: false,
        },
      };
      return redirect(response, page);
    }
    delete state.pending;
    const preset = presetOf(connector);
    try {
      const result = await finishSignIn(connector, pending, preset, parameters);
      state.result = {
        kind: 'signed-in',
        result,
        callbackParameters: parameters,
        authorizationUri: pending.authorizationUri,
        usedEmulator: preset?.usesEmulator(pending.config) ?? false,
      };
    } catch (error) {
      state.result = { kind: 'failed', during: 'getUserInfo', error: describeError(error) };
    }
    return redirect(response, page);
  };

  const route = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', baseUrl);
    const method = request.method ?? 'GET';
    // A page elsewhere must not drive the playground: not through DNS rebinding (a foreign Host),
    // not by posting a form to it (a foreign Origin) that sends mail through any server it names.
    const port = new URL(baseUrl).port;
    if (![`127.0.0.1:${port}`, `localhost:${port}`].includes(request.headers.host ?? '')) {
      return sendHtml(response, 421, renderNotFound('This playground answers on 127.0.0.1 only.'));
    }
    const origin = request.headers.origin;
    if (
      method === 'POST' &&
      origin !== undefined &&
      origin !== baseUrl &&
      origin !== `http://localhost:${port}`
    ) {
      return sendHtml(response, 403, renderNotFound(`Forms from ${origin} are not accepted.`));
    }
    const [, first, slug, ...rest] = url.pathname.split('/');
    if (method === 'GET' && url.pathname === '/') {
      return sendHtml(response, 200, renderIndex(connectors, broken));
    }
    if (method === 'GET' && url.pathname === '/health') {
      response.writeHead(200, { 'content-type': 'application/json' });
      return response.end(
        JSON.stringify({ connectors: connectors.map((connector) => connector.slug), broken }),
      );
    }
    const connector = slug === undefined || rest.length > 0 ? undefined : bySlug.get(slug);
    if (connector === undefined) {
      return sendHtml(response, 404, renderNotFound(`No page at ${url.pathname}.`));
    }
    if (method === 'GET' && first === 'logos') {
      const logo = await readLogo(connector);
      if ('url' in logo) return redirect(response, logo.url);
      response.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'max-age=60' });
      return response.end(logo.svg);
    }
    const session = sessionOf(request, response);
    const state = stateOf(session, connector.slug);
    if (first === 'connectors' && method === 'GET')
      return showConnector(response, connector, state);
    if (first === 'connectors' && method === 'POST')
      return act(request, response, connector, state);
    if (first === 'callback' && method === 'GET') return callback(response, connector, state, url);
    return sendHtml(response, 405, renderNotFound(`${method} ${url.pathname} is not supported.`));
  };

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (response.headersSent) return void response.destroy();
      sendHtml(
        response,
        500,
        renderNotFound(
          `The playground failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    });
  });
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve(server.address() as AddressInfo));
  });
  baseUrl = `http://127.0.0.1:${address.port}`;
  // Browsers share cookies across the ports of one host: the name carries the port.
  cookieName = `idplug_playground_${address.port}`;

  const callbackFor = (metadataId: string) => {
    const connector = connectors.find((candidate) => candidate.metadata.id === metadataId);
    return `${baseUrl}/callback/${connector?.slug ?? metadataId}`;
  };
  try {
    emulators = await startEmulators(callbackFor);
  } catch (error) {
    server.close();
    throw error;
  }

  return {
    url: baseUrl,
    connectors,
    broken,
    emulators,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all([closed, emulators?.stop()]);
    },
  };
}
