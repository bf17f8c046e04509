import { type ConnectorConfigFormItem, ConnectorConfigFormItemType } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  formValuesToConfig,
  initialFormValues,
  playgroundConfigProblems,
  problemsOf,
  readFormValues,
  renderConfigFields,
  renderHelpText,
  validateWithGuard,
  wholeConfigField,
} from './form';

const items: ConnectorConfigFormItem[] = [
  { key: 'clientId', label: 'Client ID', type: ConnectorConfigFormItemType.Text, required: true },
  {
    key: 'clientSecret',
    label: 'Client Secret',
    type: ConnectorConfigFormItemType.Text,
    required: true,
    isConfidential: true,
  },
  {
    key: 'scope',
    label: 'Scope',
    type: ConnectorConfigFormItemType.MultilineText,
    placeholder: 'openid profile',
  },
  { key: 'timeout', label: 'Timeout', type: ConnectorConfigFormItemType.Number },
  {
    key: 'profileMap',
    label: 'Profile map',
    type: ConnectorConfigFormItemType.Json,
    defaultValue: { id: 'sub' },
  },
  {
    key: 'pkce',
    label: 'PKCE',
    type: ConnectorConfigFormItemType.Switch,
    defaultValue: true,
  },
  {
    key: 'method',
    label: 'Method',
    type: ConnectorConfigFormItemType.Select,
    selectItems: [
      { value: 'basic', title: 'Basic' },
      { value: 'post', title: 'Post' },
    ],
  },
  {
    key: 'prompts',
    label: 'Prompts',
    type: ConnectorConfigFormItemType.MultiSelect,
    selectItems: [{ value: 'login' }, { value: 'consent' }],
  },
  {
    key: 'jwksUri',
    label: 'JWKS URI',
    type: ConnectorConfigFormItemType.Text,
    showConditions: [{ targetKey: 'pkce', expectValue: false }],
  },
];

const formOf = (entries: Array<[string, string]>) => new URLSearchParams(entries);

describe('rendering the form from formItems', () => {
  const html = renderConfigFields(
    items,
    initialFormValues(items, {
      clientId: 'client-1',
      clientSecret: 's3cret',
      method: 'post',
      prompts: ['consent'],
    }),
  );
  const field = (key: string) => {
    const match = new RegExp(`<div class="field[^"]*" data-key="${key}"[\\s\\S]*?</div>`).exec(
      html,
    );
    expect(match, `a field for ${key}`).not.toBeNull();
    return match![0];
  };

  it('renders text as an input with its value, and marks required items', () => {
    expect(field('clientId')).toContain('name="config.clientId" type="text" value="client-1"');
    expect(field('clientId')).toContain('class="required"');
  });

  it('masks confidential items as password inputs', () => {
    expect(field('clientSecret')).toContain('type="password" value="s3cret"');
  });

  it('renders multiline text as a textarea with its placeholder, and numbers as number inputs', () => {
    expect(field('scope')).toMatch(
      /<textarea [^>]*name="config.scope"[^>]*placeholder="openid profile"/,
    );
    expect(field('timeout')).toContain('type="number"');
  });

  it('shows a JSON item pretty-printed, from its default value when the config lacks it', () => {
    expect(field('profileMap')).toContain('{\n  &#34;id&#34;: &#34;sub&#34;\n}');
  });

  it('renders a switch as a checkbox ticked from its default', () => {
    expect(field('pkce')).toMatch(/type="checkbox" value="true" checked/);
  });

  it('renders select and multi-select options with the current choices', () => {
    expect(field('method')).toContain('<option value="post" selected>Post</option>');
    expect(field('method')).toContain('<option value="">(not set)</option>');
    expect(field('prompts')).toContain('value="consent" checked');
    expect(field('prompts')).not.toContain('value="login" checked');
  });

  it('groups multi-select checkboxes in a fieldset named by its legend', () => {
    expect(field('prompts')).toMatch(
      /<fieldset class="multi" id="field-prompts"><legend>Prompts<\/legend><label><input type="checkbox" name="config.prompts"/,
    );
    expect(field('prompts')).not.toContain('<label for="field-prompts">');
  });

  it('renders Markdown code spans of help text as code, and escapes the rest', () => {
    expect(renderHelpText('Set `https://idp.example.com` <b>here</b>')).toBe(
      'Set <code>https://idp.example.com</code> &#60;b&#62;here&#60;/b&#62;',
    );
  });

  it('ties a field with problems to them and to its help text (aria-invalid, aria-describedby)', () => {
    const described: ConnectorConfigFormItem[] = [
      { ...items[0]!, description: 'The `client_id` of the app.' },
    ];
    const invalid = renderConfigFields(described, { clientId: '' }, { clientId: ['Required'] });
    expect(invalid).toContain(
      '<input id="field-clientId" name="config.clientId" type="text" value="" autocomplete="off" aria-describedby="field-clientId-errors field-clientId-hint" aria-invalid="true">',
    );
    expect(invalid).toContain(
      '<p class="hint" id="field-clientId-hint">The <code>client_id</code> of the app.</p>',
    );
    expect(invalid).toContain('<ul class="field-errors" id="field-clientId-errors" role="alert">');
    const valid = renderConfigFields(described, { clientId: 'x' });
    expect(valid).toContain('aria-describedby="field-clientId-hint">');
    expect(valid).not.toContain('aria-invalid');
  });

  it('hides an item whose showConditions are not met, and says when to show it', () => {
    expect(field('jwksUri')).toMatch(/data-show-conditions="[^"]+" hidden>/);
  });

  it('escapes values so a config cannot inject markup', () => {
    const hostile = renderConfigFields(
      items,
      initialFormValues(items, { clientId: '"><script>x</script>' }),
    );
    expect(hostile).not.toContain('<script>x');
    expect(hostile).toContain('&#34;&#62;&#60;script&#62;');
  });

  it('shows the problems of each field beside it, and general ones on top', () => {
    const withErrors = renderConfigFields(items, initialFormValues(items, {}), {
      clientId: ['Client ID is required'],
      '': ['Something about the whole config'],
    });
    expect(withErrors.indexOf('Something about the whole config')).toBeLessThan(
      withErrors.indexOf('data-key'),
    );
    expect(withErrors).toMatch(/data-key="clientId"[\s\S]*?Client ID is required/);
    expect(withErrors).toContain('class="field invalid" data-key="clientId"');
  });

  it('gives a connector without formItems one JSON editor for its whole config', () => {
    const values = initialFormValues(undefined, { host: 'smtp.example.com', port: 587 });
    expect(values[wholeConfigField]).toBe('{\n  "host": "smtp.example.com",\n  "port": 587\n}');
    expect(renderConfigFields(undefined, values)).toContain('Configuration (JSON)');
  });
});

describe('reading the submitted form into a config', () => {
  it('converts each item as Logto’s console does and drops empty inputs', () => {
    const values = readFormValues(
      items,
      formOf([
        ['config.clientId', 'client-1'],
        ['config.clientSecret', 'secret'],
        ['config.scope', ''],
        ['config.timeout', '5000'],
        ['config.profileMap', '{"id": "user_id"}'],
        ['config.method', 'basic'],
        ['config.prompts', 'login'],
        ['config.prompts', 'consent'],
        ['config.jwksUri', 'https://hidden.example.com'],
      ]),
    );
    expect(formValuesToConfig(items, values)).toEqual({
      config: {
        clientId: 'client-1',
        clientSecret: 'secret',
        timeout: 5000,
        profileMap: { id: 'user_id' },
        // An unticked switch is false, not absent.
        pkce: false,
        method: 'basic',
        prompts: ['login', 'consent'],
        // Shown because pkce is off.
        jwksUri: 'https://hidden.example.com',
      },
      errors: {},
    });
  });

  it('leaves out an item hidden by its showConditions', () => {
    const values = readFormValues(
      items,
      formOf([
        ['config.clientId', 'a'],
        ['config.clientSecret', 'b'],
        ['config.pkce', 'true'],
        ['config.jwksUri', 'https://hidden.example.com'],
      ]),
    );
    expect(formValuesToConfig(items, values).config).not.toHaveProperty('jwksUri');
  });

  it('reports a required item left empty, invalid JSON and a number that is not one', () => {
    const values = readFormValues(
      items,
      formOf([
        ['config.clientId', '  '],
        ['config.clientSecret', 'b'],
        ['config.timeout', 'soon'],
        ['config.profileMap', '{"id": '],
      ]),
    );
    const { errors } = formValuesToConfig(items, values);
    expect(errors.clientId).toEqual(['Client ID is required']);
    expect(errors.timeout).toEqual(['Timeout must be a number']);
    expect(errors.profileMap?.[0]).toMatch(/^Not valid JSON: /);
  });

  it('parses the whole-config JSON editor, and refuses what is not a JSON object', () => {
    const parse = (text: string) =>
      formValuesToConfig(
        undefined,
        readFormValues(undefined, formOf([[`config.${wholeConfigField}`, text]])),
      );
    expect(parse('{"host": "h", "port": 25}')).toEqual({
      config: { host: 'h', port: 25 },
      errors: {},
    });
    expect(parse('[1]').errors[wholeConfigField]).toEqual([
      'The configuration must be a JSON object',
    ]);
    expect(parse('{').errors[wholeConfigField]?.[0]).toMatch(/^Not valid JSON/);
  });
});

describe('validating with the connector’s guard', () => {
  const guard = z.object({
    clientId: z.string().min(1),
    profileMap: z.object({ id: z.string().min(2) }),
    timeout: z.number().max(60_000).optional(),
    extra: z.string(),
  });

  it('returns the parsed config when the guard accepts it', () => {
    const result = validateWithGuard(
      guard,
      { clientId: 'a', profileMap: { id: 'sub' }, extra: 'x' },
      items,
    );
    expect(result).toEqual({
      ok: true,
      data: { clientId: 'a', profileMap: { id: 'sub' }, extra: 'x' },
    });
  });

  it('puts each issue beside its form item, with the nested path, and the rest on top', () => {
    const result = validateWithGuard(
      guard,
      { clientId: 'a', profileMap: { id: 's' }, timeout: 90_000 },
      items,
    );
    expect(result.ok).toBe(false);
    const { errors } = result as { errors: Record<string, string[]> };
    expect(errors.profileMap).toEqual(['id: String must contain at least 2 character(s)']);
    expect(errors.timeout).toEqual(['Number must be less than or equal to 60000']);
    // `extra` is not a form item: the problem goes to the top of the form.
    expect(errors['']).toEqual(['extra: Required']);
  });

  it('turns a guard that throws into a problem of the configuration', () => {
    const throwing = {
      safeParse: () => {
        throw new TypeError('Invalid URL');
      },
    };
    expect(validateWithGuard(throwing, {}, items)).toEqual({
      ok: false,
      errors: {
        '': [
          "The connector's guard threw instead of refusing this configuration: TypeError: Invalid URL",
        ],
      },
    });
  });

  it('lists the fields with problems in form order, with their labels and ids', () => {
    expect(problemsOf(items, { scope: ['bad'], '': ['general'], clientId: ['required'] })).toEqual([
      { key: '', label: 'Configuration', fieldId: undefined, messages: ['general'] },
      { key: 'clientId', label: 'Client ID', fieldId: 'field-clientId', messages: ['required'] },
      { key: 'scope', label: 'Scope', fieldId: 'field-scope', messages: ['bad'] },
    ]);
  });

  it('refuses private_key_jwt without a key, which the guards accept', () => {
    const pkItems: ConnectorConfigFormItem[] = [
      {
        key: 'clientPrivateKey',
        label: 'Private key',
        type: ConnectorConfigFormItemType.MultilineText,
      },
    ];
    expect(
      Object.keys(
        playgroundConfigProblems(pkItems, { tokenEndpointAuthMethod: 'private_key_jwt' }),
      ),
    ).toEqual(['clientPrivateKey']);
    expect(
      playgroundConfigProblems(pkItems, {
        tokenEndpointAuthMethod: 'private_key_jwt',
        clientPrivateKey: '-----BEGIN PRIVATE KEY-----',
      }),
    ).toEqual({});
    expect(
      playgroundConfigProblems(pkItems, { tokenEndpointAuthMethod: 'client_secret_basic' }),
    ).toEqual({});
  });

  it('keys every issue to the JSON editor of a connector without formItems', () => {
    const result = validateWithGuard(guard, {}, undefined);
    expect(Object.keys((result as { errors: object }).errors)).toEqual([wholeConfigField]);
  });
});
