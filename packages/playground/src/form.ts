import { type ConnectorConfigFormItem, ConnectorConfigFormItemType } from '@logto/connector-kit';
import { escapeHtml } from './html';

/**
 * The configuration form, built from `metadata.formItems` the way Logto's Admin Console builds it
 * (its `initFormData` / `parseFormConfig`): a JSON item is edited as pretty-printed text, an empty
 * input means "not set", a number input becomes a number, and the config is then checked with the
 * connector's own guard. A connector without form items gets one JSON editor for the whole config,
 * as the console shows for those.
 */

/** The form field of a connector without `formItems`. */
export const wholeConfigField = '__config';

/** A config form item's current value in the form: text, a switch, or the ticked options. */
export type FormValue = string | boolean | string[];
export type FormValues = Record<string, FormValue>;

/** Problems keyed by form item (`''` for those about no one field). */
export type FieldErrors = Record<string, string[]>;

const fieldName = (key: string) => `config.${key}`;

/** The `id` of a form item's control (the whole-config editor's for a connector without items). */
export const fieldIdOf = (key: string) =>
  key === wholeConfigField ? 'field-whole-config' : `field-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** Each field with problems, in form order, with its label: what the result names and links to. */
export const problemsOf = (
  formItems: readonly ConnectorConfigFormItem[] | undefined,
  errors: FieldErrors,
): Array<{ key: string; label: string; fieldId: string | undefined; messages: string[] }> => {
  const labels = new Map<string, string>([
    ['', 'Configuration'],
    [wholeConfigField, 'Configuration (JSON)'],
    ...(formItems ?? []).map((item) => [item.key, item.label] as [string, string]),
  ]);
  const order = ['', wholeConfigField, ...(formItems ?? []).map((item) => item.key)];
  return Object.entries(errors)
    .filter(([, messages]) => messages.length > 0)
    .sort(([left], [right]) => order.indexOf(left) - order.indexOf(right))
    .map(([key, messages]) => ({
      key,
      label: labels.get(key) ?? key,
      fieldId: key === '' ? undefined : fieldIdOf(key),
      messages,
    }));
};

/** Form values for a config: the config's value, else the item's default (Logto's `initFormData`). */
export const initialFormValues = (
  formItems: readonly ConnectorConfigFormItem[] | undefined,
  config: Record<string, unknown>,
): FormValues => {
  if (!formItems || formItems.length === 0) {
    return { [wholeConfigField]: JSON.stringify(config, null, 2) };
  }
  const values: FormValues = {};
  for (const item of formItems) {
    const value = config[item.key] ?? item.defaultValue;
    switch (item.type) {
      case ConnectorConfigFormItemType.Json:
        values[item.key] = value === undefined ? '' : JSON.stringify(value, null, 2);
        break;
      case ConnectorConfigFormItemType.Switch:
        values[item.key] = value === true;
        break;
      case ConnectorConfigFormItemType.MultiSelect:
        values[item.key] = Array.isArray(value) ? value.map(String) : [];
        break;
      default:
        values[item.key] = value === undefined || value === null ? '' : String(value);
    }
  }
  return values;
};

/** Reads the submitted form back into form values (unticked switches and options included). */
export const readFormValues = (
  formItems: readonly ConnectorConfigFormItem[] | undefined,
  body: URLSearchParams,
): FormValues => {
  if (!formItems || formItems.length === 0) {
    return { [wholeConfigField]: body.get(fieldName(wholeConfigField)) ?? '' };
  }
  const values: FormValues = {};
  for (const item of formItems) {
    const name = fieldName(item.key);
    if (item.type === ConnectorConfigFormItemType.Switch) {
      values[item.key] = body.get(name) === 'true';
    } else if (item.type === ConnectorConfigFormItemType.MultiSelect) {
      values[item.key] = body.getAll(name);
    } else {
      values[item.key] = body.get(name) ?? '';
    }
  }
  return values;
};

/** Whether a form item shows, given the other values (connector-kit's `showConditions`). */
export const isShown = (item: ConnectorConfigFormItem, values: FormValues): boolean => {
  return (item.showConditions ?? []).every(({ targetKey, expectValue }) =>
    expectValue === undefined ? Boolean(values[targetKey]) : values[targetKey] === expectValue,
  );
};

const parseJson = (text: string): { value: unknown } | { error: string } => {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
};

/**
 * Form values to the config object (Logto's `parseFormConfig`), with the form's own checks: a
 * required item left empty, unparsable JSON, a number that is not one.
 */
export const formValuesToConfig = (
  formItems: readonly ConnectorConfigFormItem[] | undefined,
  values: FormValues,
): { config: Record<string, unknown>; errors: FieldErrors } => {
  const errors: FieldErrors = {};
  const fail = (key: string, message: string) => {
    errors[key] = [...(errors[key] ?? []), message];
  };
  if (!formItems || formItems.length === 0) {
    const text = String(values[wholeConfigField] ?? '').trim();
    const parsed = parseJson(text === '' ? '{}' : text);
    if ('error' in parsed) {
      fail(wholeConfigField, parsed.error);
      return { config: {}, errors };
    }
    if (!parsed.value || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
      fail(wholeConfigField, 'The configuration must be a JSON object');
      return { config: {}, errors };
    }
    return { config: parsed.value as Record<string, unknown>, errors };
  }

  const config: Record<string, unknown> = {};
  for (const item of formItems) {
    if (!isShown(item, values)) {
      continue;
    }
    const value = values[item.key];
    if (typeof value === 'boolean' || Array.isArray(value)) {
      config[item.key] = value;
      continue;
    }
    const text = value ?? '';
    if (text.trim() === '') {
      if (item.required) {
        fail(item.key, `${item.label} is required`);
      }
      continue;
    }
    if (item.type === ConnectorConfigFormItemType.Number) {
      const number = Number(text);
      if (Number.isNaN(number)) {
        fail(item.key, `${item.label} must be a number`);
      } else {
        config[item.key] = number;
      }
    } else if (item.type === ConnectorConfigFormItemType.Json) {
      const parsed = parseJson(text);
      if ('error' in parsed) {
        fail(item.key, parsed.error);
      } else {
        config[item.key] = parsed.value;
      }
    } else {
      config[item.key] = text;
    }
  }
  return { config, errors };
};

type GuardIssue = { path: Array<string | number>; message: string };
type Guard = {
  safeParse(
    value: unknown,
  ): { success: true; data: unknown } | { success: false; error: { issues: GuardIssue[] } };
};

/**
 * Checks a config with the connector's own guard; each problem is keyed by the form item it is
 * about (the first path segment), with the rest of the path in the message.
 */
export const validateWithGuard = (
  guard: unknown,
  config: Record<string, unknown>,
  formItems: readonly ConnectorConfigFormItem[] | undefined,
): { ok: true; data: unknown } | { ok: false; errors: FieldErrors } => {
  let result: ReturnType<Guard['safeParse']>;
  try {
    result = (guard as Guard).safeParse(config);
  } catch (error) {
    // A guard that throws (a transform calling `new URL` on a value it did not check first) would
    // be a 500 in Logto; here it is the configuration's problem, named as such.
    return {
      ok: false,
      errors: {
        [formItems && formItems.length > 0 ? '' : wholeConfigField]: [
          `The connector's guard threw instead of refusing this configuration: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
        ],
      },
    };
  }
  if (result.success) {
    return { ok: true, data: result.data };
  }
  const keys = new Set((formItems ?? []).map((item) => item.key));
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const [first, ...rest] = issue.path;
    const inForm = typeof first === 'string' && keys.has(first);
    const key = inForm ? first : formItems && formItems.length > 0 ? '' : wholeConfigField;
    const where = inForm ? rest : issue.path;
    const text = where.length > 0 ? `${where.join('.')}: ${issue.message}` : issue.message;
    errors[key] = [...(errors[key] ?? []), text];
  }
  return { ok: false, errors };
};

/**
 * What the playground refuses although the connector's guard accepts it, because the run could
 * only fail after the round trip to the provider: `private_key_jwt` without a key.
 */
export const playgroundConfigProblems = (
  formItems: readonly ConnectorConfigFormItem[] | undefined,
  config: Record<string, unknown>,
): FieldErrors => {
  const hasKey =
    (typeof config.clientPrivateKey === 'string' && config.clientPrivateKey.trim() !== '') ||
    (config.clientPrivateKey !== null && typeof config.clientPrivateKey === 'object');
  if (config.tokenEndpointAuthMethod !== 'private_key_jwt' || hasKey) {
    return {};
  }
  const key = formItems?.some((item) => item.key === 'clientPrivateKey')
    ? 'clientPrivateKey'
    : formItems && formItems.length > 0
      ? ''
      : wholeConfigField;
  return {
    [key]: [
      'private_key_jwt signs the client assertion with a private key: set `clientPrivateKey` (a PKCS#8 PEM or a private JWK), or the token request fails after the sign-in',
    ],
  };
};

const renderErrors = (messages: string[] | undefined, id?: string) =>
  messages && messages.length > 0
    ? `<ul class="field-errors"${id ? ` id="${id}"` : ''} role="alert">${messages.map((message) => `<li>${escapeHtml(message)}</li>`).join('')}</ul>`
    : '';

/**
 * Help text as the Admin Console shows it: connector descriptions use Markdown code spans
 * (`` `https://` ``), rendered as `<code>`; everything else stays escaped text.
 */
export const renderHelpText = (text: string): string =>
  escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

/** `aria-describedby` and `aria-invalid` of a field's control: its help text and its problems. */
const describedBy = (ids: string[], invalid: boolean) =>
  `${ids.length > 0 ? ` aria-describedby="${ids.join(' ')}"` : ''}${invalid ? ' aria-invalid="true"' : ''}`;

const renderInput = (item: ConnectorConfigFormItem, value: FormValue, id: string, aria: string) => {
  const name = escapeHtml(fieldName(item.key));
  const placeholder = item.placeholder ? ` placeholder="${escapeHtml(item.placeholder)}"` : '';
  const text = typeof value === 'string' ? value : '';
  switch (item.type) {
    case ConnectorConfigFormItemType.MultilineText:
      return `<textarea id="${id}" name="${name}" rows="3"${placeholder}${aria}>${escapeHtml(text)}</textarea>`;
    case ConnectorConfigFormItemType.Json:
      return `<textarea id="${id}" name="${name}" class="json" rows="${Math.min(12, Math.max(3, text.split('\n').length))}" spellcheck="false"${placeholder}${aria}>${escapeHtml(text)}</textarea>`;
    case ConnectorConfigFormItemType.Number:
      return `<input id="${id}" name="${name}" type="number" step="any" value="${escapeHtml(text)}"${placeholder}${aria}>`;
    case ConnectorConfigFormItemType.Switch:
      return `<label class="switch"><input id="${id}" name="${name}" type="checkbox" value="true"${value === true ? ' checked' : ''}${aria}> <span>${escapeHtml(item.label)}</span></label>`;
    case ConnectorConfigFormItemType.Select: {
      const options = item.selectItems
        .map(
          (option) =>
            `<option value="${escapeHtml(option.value)}"${option.value === text ? ' selected' : ''}>${escapeHtml(option.title)}</option>`,
        )
        .join('');
      return `<select id="${id}" name="${name}"${aria}>${item.required ? '' : '<option value="">(not set)</option>'}${options}</select>`;
    }
    case ConnectorConfigFormItemType.MultiSelect: {
      // A group of checkboxes is a fieldset named by its legend (WCAG 1.3.1), not one label.
      const ticked = Array.isArray(value) ? value : [];
      return `<fieldset class="multi" id="${id}"${aria}><legend>${escapeHtml(item.label)}${item.required ? ' <span class="required" title="required">*</span>' : ''}</legend>${item.selectItems
        .map(
          (option) =>
            `<label><input type="checkbox" name="${name}" value="${escapeHtml(option.value)}"${ticked.includes(option.value) ? ' checked' : ''}> ${escapeHtml(option.value)}</label>`,
        )
        .join('')}</fieldset>`;
    }
    default:
      // Text. Logto masks confidential items; so does the playground.
      return `<input id="${id}" name="${name}" type="${item.isConfidential ? 'password' : 'text'}" value="${escapeHtml(text)}" autocomplete="off"${placeholder}${aria}>`;
  }
};

/** The form's fields (without the `<form>` element, whose buttons depend on the connector type). */
export const renderConfigFields = (
  formItems: readonly ConnectorConfigFormItem[] | undefined,
  values: FormValues,
  errors: FieldErrors = {},
): string => {
  const general = renderErrors(errors['']);
  if (!formItems || formItems.length === 0) {
    const id = fieldIdOf(wholeConfigField);
    const isInvalid = Boolean(errors[wholeConfigField]?.length);
    const aria = describedBy([...(isInvalid ? [`${id}-errors`] : []), `${id}-hint`], isInvalid);
    return `${general}<div class="field${isInvalid ? ' invalid' : ''}" data-key="${wholeConfigField}"><label for="${id}">Configuration (JSON)</label>
<textarea id="${id}" name="${fieldName(wholeConfigField)}" class="json" rows="16" spellcheck="false"${aria}>${escapeHtml(String(values[wholeConfigField] ?? ''))}</textarea>
<p class="hint" id="${id}-hint">This connector declares no form items: the whole configuration is edited as JSON.</p>${renderErrors(errors[wholeConfigField], `${id}-errors`)}</div>`;
  }
  const fields = formItems.map((item) => {
    const id = fieldIdOf(item.key);
    const value = values[item.key] ?? '';
    const conditions = item.showConditions
      ? ` data-show-conditions="${escapeHtml(JSON.stringify(item.showConditions))}"`
      : '';
    const hidden = isShown(item, values) ? '' : ' hidden';
    const label =
      item.type === ConnectorConfigFormItemType.Switch ||
      item.type === ConnectorConfigFormItemType.MultiSelect
        ? ''
        : `<label for="${id}">${escapeHtml(item.label)}${item.required ? ' <span class="required" title="required">*</span>' : ''}</label>`;
    const description = item.description
      ? `<p class="hint" id="${id}-hint">${renderHelpText(item.description)}</p>`
      : '';
    const isInvalid = Boolean(errors[item.key]?.length);
    const aria = describedBy(
      [...(isInvalid ? [`${id}-errors`] : []), ...(item.description ? [`${id}-hint`] : [])],
      isInvalid,
    );
    return `<div class="field${isInvalid ? ' invalid' : ''}" data-key="${escapeHtml(item.key)}" data-type="${item.type}"${conditions}${hidden}>${label}${renderInput(item, value, id, aria)}${description}${renderErrors(errors[item.key], `${id}-errors`)}</div>`;
  });
  return `${general}${fields.join('\n')}`;
};
