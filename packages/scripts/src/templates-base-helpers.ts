/**
 * Keeps the templates on @idplug/base's building blocks. Base offers ready-made console form items
 * (its `*FormItems` exports) and config guard fields (its `*ConfigField` and `*ConfigFields`
 * exports); a template that writes one of those out by hand drifts from base the day base changes
 * it (it happened: the social template kept its own clientId/clientSecret items and `timeout` after
 * `clientCredentialFormItems` and `timeoutConfigField` replaced them in the connectors).
 *
 * Base's exports are found by their names, so a helper added to base is checked without touching
 * this file; only a form-item helper that takes options has to say here how to call it.
 */

type FormItem = { key: string } & Record<string, unknown>;
type Schema = { _def: object };

/** A base export a template must use for the keys it provides. */
export type BaseHelper = {
  /** The export's name, e.g. `clientCredentialFormItems`. */
  helper: string;
  /** Form items: each variant the helper can produce. */
  formItems?: FormItem[];
  /** Guard fields: key and schema. A group (`*ConfigFields`) applies only when all its keys are used. */
  fields?: Record<string, Schema>;
  group?: boolean;
};

/** What a template is made of: its console form items, its guard's fields and its source text. */
export type TemplateParts = {
  formItems: readonly FormItem[];
  guardShape: Record<string, Schema>;
  /** The template's non-test sources, concatenated. */
  source: string;
};

/** How to call base's form-item helpers that take options: every variant a template may want. */
export const formItemHelperCalls: Record<string, unknown[][]> = {
  clientCredentialFormItems: [[{ secretRequired: true }], [{ secretRequired: false }]],
  // The placeholder is the only argument; the items' keys and shapes do not depend on it.
  receiverFormItems: [['https://receiver.example.com/logto']],
};

/** Any description: field helpers that are functions take the description as their argument. */
const sampleDescription = 'description';

const isSchema = (value: unknown): value is Schema =>
  Boolean(value && typeof value === 'object' && '_def' in value);

const isFormItem = (value: unknown): value is FormItem =>
  Boolean(
    value &&
      typeof value === 'object' &&
      typeof (value as { key?: unknown }).key === 'string' &&
      'type' in value,
  );

const formItemsOf = (value: unknown): FormItem[] =>
  Array.isArray(value) ? value.filter(isFormItem) : [];

/** Base's form-item and guard-field helpers, read from its module namespace. */
export const collectBaseHelpers = (baseExports: Record<string, unknown>): BaseHelper[] => {
  const helpers: BaseHelper[] = [];
  for (const [name, value] of Object.entries(baseExports).sort(([a], [b]) => a.localeCompare(b))) {
    if (name.endsWith('FormItems')) {
      if (typeof value === 'function') {
        const calls = formItemHelperCalls[name];
        if (!calls) {
          throw new Error(
            `@idplug/base's ${name} takes options: list the ways to call it in formItemHelperCalls`,
          );
        }
        helpers.push({
          helper: name,
          formItems: calls.flatMap((args) => formItemsOf(value(...args))),
        });
      } else {
        helpers.push({ helper: name, formItems: formItemsOf(value) });
      }
    } else if (name.endsWith('ConfigField')) {
      const schema = typeof value === 'function' ? value(sampleDescription) : value;
      if (isSchema(schema)) {
        helpers.push({ helper: name, fields: { [name.slice(0, -'ConfigField'.length)]: schema } });
      }
    } else if (name.endsWith('ConfigFields') && value && typeof value === 'object') {
      const fields = Object.fromEntries(
        Object.entries(value).filter((entry): entry is [string, Schema] => isSchema(entry[1])),
      );
      helpers.push({ helper: name, fields, group: true });
    }
  }
  return helpers;
};

/**
 * A schema's structure, its `.describe()` text left out (templates describe fields in their own
 * words) and defaults compared by value.
 */
export const schemaStructure = (schema: Schema): string =>
  JSON.stringify(schema._def, (key, value: unknown) => {
    if (key === 'description') {
      return undefined;
    }
    if (typeof value === 'function') {
      return key === 'defaultValue' ? { defaultValue: (value as () => unknown)() } : String(value);
    }
    return value;
  });

const mentions = (source: string, name: string) => new RegExp(`\\b${name}\\b`).test(source);

/**
 * What a template spells out that base provides, one sentence each; empty when the template uses
 * base's helpers for every such field and form item.
 */
export const spelledOutBaseFields = (
  template: TemplateParts,
  helpers: readonly BaseHelper[],
): string[] => {
  const problems: string[] = [];
  // A key several helpers provide (`clientId` is in clientCredentialFormItems and
  // standardClientFormItems) is fine when it comes, unchanged, from any one of them.
  for (const item of template.formItems) {
    const providers = helpers.filter(({ formItems = [] }) =>
      formItems.some((provided) => provided.key === item.key),
    );
    const fromBase = providers.some(
      ({ helper, formItems = [] }) =>
        mentions(template.source, helper) &&
        formItems.some((provided) => JSON.stringify(provided) === JSON.stringify(item)),
    );
    if (providers.length > 0 && !fromBase) {
      problems.push(
        `form item \`${item.key}\` is written out: use @idplug/base's ${providers.map(({ helper }) => helper).join(' or ')} instead`,
      );
    }
  }
  for (const [key, own] of Object.entries(template.guardShape)) {
    // A group (`clientSecretConfigFields`) is a set of keys meant together: a template with only
    // some of them has a field of its own (a required `clientSecret` is not base's optional one).
    const providers = helpers.filter(
      ({ fields = {}, group }) =>
        key in fields &&
        (!group || Object.keys(fields).every((groupKey) => groupKey in template.guardShape)),
    );
    const fromBase = providers.some(
      ({ helper, fields = {} }) =>
        mentions(template.source, helper) &&
        schemaStructure(own) === schemaStructure(fields[key] as Schema),
    );
    if (providers.length > 0 && !fromBase) {
      problems.push(
        `config key \`${key}\` is written out: use @idplug/base's ${providers.map(({ helper }) => helper).join(' or ')} instead`,
      );
    }
  }
  return problems;
};

/** The fields of a guard that is a zod object (the templates' guards are). */
export const guardShapeOf = (guard: unknown): Record<string, Schema> => {
  const definition = isSchema(guard)
    ? (guard._def as { shape?: unknown; left?: unknown; right?: unknown; schema?: unknown })
    : undefined;
  // base's definers intersect every guard with the `network` group; refinements wrap a guard in
  // effects. Both keep the object shapes inside.
  if (definition?.left !== undefined && definition.right !== undefined) {
    return { ...guardShapeOf(definition.left), ...guardShapeOf(definition.right) };
  }
  if (definition?.schema !== undefined) {
    return guardShapeOf(definition.schema);
  }
  const shape = definition?.shape;
  if (typeof shape !== 'function') {
    throw new Error('The config guard is not a zod object');
  }
  return (shape as () => Record<string, Schema>)();
};
