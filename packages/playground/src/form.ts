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
  const result = (guard as Guard).safeParse(config);
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

const renderErrors = (messages: string[] | undefined) =>
  messages && messages.length > 0
    ? `<ul class="field-errors" role="alert">${messages.map((message) => `<li>${escapeHtml(message)}</li>`).join('')}</ul>`
    : '';

const renderInput = (item: ConnectorConfigFormItem, value: FormValue, id: string) => {
  const name = escapeHtml(fieldName(item.key));
  const placeholder = item.placeholder ? ` placeholder="${escapeHtml(item.placeholder)}"` : '';
  const text = typeof value === 'string' ? value : '';
  switch (item.type) {
    case ConnectorConfigFormItemType.MultilineText:
      return `<textarea id="${id}" name="${name}" rows="3"${placeholder}>${escapeHtml(text)}</textarea>`;
    case ConnectorConfigFormItemType.Json:
      return `<textarea id="${id}" name="${name}" class="json" rows="${Math.min(12, Math.max(3, text.split('\n').length))}" spellcheck="false"${placeholder}>${escapeHtml(text)}</textarea>`;
    case ConnectorConfigFormItemType.Number:
      return `<input id="${id}" name="${name}" type="number" step="any" value="${escapeHtml(text)}"${placeholder}>`;
    case ConnectorConfigFormItemType.Switch:
      return `<label class="switch"><input id="${id}" name="${name}" type="checkbox" value="true"${value === true ? ' checked' : ''}> <span>${escapeHtml(item.label)}</span></label>`;
    case ConnectorConfigFormItemType.Select: {
      const options = item.selectItems
        .map(
          (option) =>
            `<option value="${escapeHtml(option.value)}"${option.value === text ? ' selected' : ''}>${escapeHtml(option.title)}</option>`,
        )
        .join('');
      return `<select id="${id}" name="${name}">${item.required ? '' : '<option value="">(not set)</option>'}${options}</select>`;
    }
    case ConnectorConfigFormItemType.MultiSelect: {
      const ticked = Array.isArray(value) ? value : [];
      return `<div class="multi" id="${id}">${item.selectItems
        .map(
          (option) =>
            `<label><input type="checkbox" name="${name}" value="${escapeHtml(option.value)}"${ticked.includes(option.value) ? ' checked' : ''}> ${escapeHtml(option.value)}</label>`,
        )
        .join('')}</div>`;
    }
    default:
      // Text. Logto masks confidential items; so does the playground.
      return `<input id="${id}" name="${name}" type="${item.isConfidential ? 'password' : 'text'}" value="${escapeHtml(text)}" autocomplete="off"${placeholder}>`;
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
    const id = 'field-whole-config';
    return `${general}<div class="field" data-key="${wholeConfigField}"><label for="${id}">Configuration (JSON)</label>
<textarea id="${id}" name="${fieldName(wholeConfigField)}" class="json" rows="16" spellcheck="false">${escapeHtml(String(values[wholeConfigField] ?? ''))}</textarea>
<p class="hint">This connector declares no form items: the whole configuration is edited as JSON.</p>${renderErrors(errors[wholeConfigField])}</div>`;
  }
  const fields = formItems.map((item) => {
    const id = `field-${item.key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const value = values[item.key] ?? '';
    const conditions = item.showConditions
      ? ` data-show-conditions="${escapeHtml(JSON.stringify(item.showConditions))}"`
      : '';
    const hidden = isShown(item, values) ? '' : ' hidden';
    const label =
      item.type === ConnectorConfigFormItemType.Switch
        ? ''
        : `<label for="${id}">${escapeHtml(item.label)}${item.required ? ' <span class="required" title="required">*</span>' : ''}</label>`;
    const description = item.description
      ? `<p class="hint">${escapeHtml(item.description)}</p>`
      : '';
    const invalid = errors[item.key]?.length ? ' invalid' : '';
    return `<div class="field${invalid}" data-key="${escapeHtml(item.key)}" data-type="${item.type}"${conditions}${hidden}>${label}${renderInput(item, value, id)}${description}${renderErrors(errors[item.key])}</div>`;
  });
  return `${general}${fields.join('\n')}`;
};
