import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectorType } from '@logto/connector-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DiscoveryResult, discoverConnectors, readLogo } from './discovery';
import {
  formValuesToConfig,
  initialFormValues,
  readFormValues,
  renderConfigFields,
  validateWithGuard,
} from './form';

let workspace: DiscoveryResult;

beforeAll(async () => {
  workspace = await discoverConnectors();
}, 30_000);

const connector = (slug: string) => {
  const found = workspace.connectors.find((candidate) => candidate.slug === slug);
  expect(found, `connector-${slug}`).toBeDefined();
  return found!;
};

describe('discovering the workspace’s connectors', () => {
  it('finds every packages/connector-* folder with its metadata and type, and loads them all', () => {
    expect(workspace.broken).toEqual([]);
    const bySlug = Object.fromEntries(
      workspace.connectors.map((found) => [found.slug, [found.metadata.id, found.type]]),
    );
    expect(bySlug).toMatchObject({
      github: ['github-universal', ConnectorType.Social],
      google: ['google-universal', ConnectorType.Social],
      oidc: ['oidc', ConnectorType.Social],
      oauth2: ['oauth2', ConnectorType.Social],
      smtp: ['simple-mail-transfer-protocol', ConnectorType.Email],
      'aliyun-dm': ['aliyun-direct-mail', ConnectorType.Email],
    });
    expect(connector('github').packageName).toBe('@idplug/connector-github');
  });

  it('reads a connector’s logo file', async () => {
    const logo = await readLogo(connector('github'));
    expect('svg' in logo && logo.svg.toString('utf8')).toContain('<svg');
    expect('placeholder' in logo && logo.placeholder).toBe(false);
  });

  it('reports a connector folder that cannot be loaded instead of failing', async () => {
    const packages = await mkdtemp(join(tmpdir(), 'playground-discovery-'));
    try {
      const broken = join(packages, 'connector-broken');
      await mkdir(join(broken, 'src'), { recursive: true });
      await writeFile(join(broken, 'package.json'), '{"name": "@example/connector-broken"}');
      await writeFile(join(broken, 'src/index.ts'), 'export const notAFactory = 1;\n');
      await mkdir(join(packages, 'not-a-connector'));
      const result = await discoverConnectors({ packagesDirectory: packages });
      expect(result.connectors).toEqual([]);
      expect(result.broken).toEqual([
        expect.objectContaining({
          slug: 'broken',
          error: expect.stringContaining('no default export'),
        }),
      ]);
    } finally {
      await rm(packages, { recursive: true, force: true });
    }
  });
});

describe('validating real connector configs from their forms', () => {
  const check = (slug: string, config: Record<string, unknown>) => {
    const { metadata, configGuard } = connector(slug);
    const form = formValuesToConfig(
      metadata.formItems,
      initialFormValues(metadata.formItems, config),
    );
    expect(form.errors).toEqual({});
    return validateWithGuard(configGuard, form.config, metadata.formItems);
  };

  it('accepts a GitHub config and reports a plain-http Enterprise URL beside its field', () => {
    expect(check('github', { clientId: 'id', clientSecret: 'secret' }).ok).toBe(true);
    expect(
      check('github', {
        clientId: 'id',
        clientSecret: 'secret',
        enterpriseUrl: 'http://github.example.com',
      }),
    ).toEqual({ ok: false, errors: { enterpriseUrl: ['must be an https:// URL'] } });
  });

  it('reports Google’s `none` prompt combined with another one beside the prompts field', () => {
    const result = check('google', {
      clientId: 'id',
      clientSecret: 'secret',
      prompts: ['none', 'consent'],
    });
    expect(result.ok).toBe(false);
    expect((result as { errors: Record<string, string[]> }).errors.prompts?.[0]).toContain(
      '`none` cannot be combined',
    );
  });

  it('offers the SMTP presets as a select on the SMTP card, and a preset alone makes a valid config', () => {
    const { metadata, configGuard } = connector('smtp');
    const fields = renderConfigFields(
      metadata.formItems,
      initialFormValues(metadata.formItems, {}),
    );
    const select = /<select id="field-preset" name="config\.preset"[^>]*>([\s\S]*?)<\/select>/.exec(
      fields,
    )?.[1];
    expect(select).toBeDefined();
    const offered = [...(select ?? '').matchAll(/<option value="([^"]*)"/g)].map(
      (match) => match[1],
    );
    expect(offered.slice(0, 7)).toEqual([
      '',
      'gmail',
      'office365',
      'sendgrid',
      'postmark',
      'mailgun',
      'resend',
    ]);
    expect(offered).toContain('ses-eu-west-1');

    // The form as submitted with Gmail chosen: the defaults (templates), Host and Port empty, the
    // Secure switch off (an unticked checkbox is not sent).
    const submitted = new URLSearchParams();
    const values = {
      ...initialFormValues(metadata.formItems, {}),
      preset: 'gmail',
      auth: '{"user": "me@example.com", "pass": "app-password"}',
      fromEmail: 'me@example.com',
    };
    for (const [key, value] of Object.entries(values)) {
      if (typeof value === 'string') {
        submitted.set(`config.${key}`, value);
      } else if (value === true) {
        submitted.set(`config.${key}`, 'true');
      }
    }
    const form = formValuesToConfig(
      metadata.formItems,
      readFormValues(metadata.formItems, submitted),
    );
    expect(form.errors).toEqual({});
    expect(validateWithGuard(configGuard, form.config, metadata.formItems)).toMatchObject({
      ok: true,
      data: { host: 'smtp.gmail.com', port: 465, secure: true },
    });
  });
});
