/**
 * What a zod 3 config guard says about each top-level key: required or not, its type, its default
 * and its `.describe()` text. Read from the schema's `_def` so that it works with whichever zod
 * instance a connector bundles (no `instanceof`).
 */

type Schema = { _def: Record<string, unknown> & { typeName?: string; description?: string } };

export type ConfigKey = {
  key: string;
  required: boolean;
  type: string;
  /** JSON of the default value, when the guard applies one. */
  defaultValue?: string;
  description?: string;
};

const isSchema = (value: unknown): value is Schema =>
  Boolean(value && typeof value === 'object' && '_def' in value);

const wrapperInner = (schema: Schema): Schema | undefined => {
  const definition = schema._def;
  switch (definition.typeName) {
    case 'ZodOptional':
    case 'ZodNullable':
    case 'ZodDefault':
    case 'ZodCatch':
    case 'ZodReadonly':
    case 'ZodBranded':
      return definition.innerType as Schema;
    case 'ZodEffects':
      return definition.schema as Schema;
    case 'ZodPipeline':
      return definition.in as Schema;
    case 'ZodLazy':
      return (definition.getter as () => Schema)();
    default:
      return undefined;
  }
};

/** Follows wrappers (optional, default, refinements...) down to the schema that has a shape. */
const unwrap = (schema: Schema): Schema[] => {
  const chain: Schema[] = [schema];
  for (let inner = wrapperInner(schema); inner && chain.length < 30; inner = wrapperInner(inner)) {
    chain.push(inner);
  }
  return chain;
};

const acceptsUndefined = (schema: Schema): boolean => {
  const { safeParse } = schema as unknown as {
    safeParse?: (value: unknown) => { success: boolean };
  };
  return typeof safeParse === 'function' ? safeParse.call(schema, undefined).success : false;
};

const typeOf = (schema: Schema): string => {
  const base = unwrap(schema).at(-1) as Schema;
  const definition = base._def;
  switch (definition.typeName) {
    case 'ZodString': {
      const checks = (definition.checks as Array<{ kind: string }> | undefined) ?? [];
      const kind = checks.find((check) => ['url', 'email'].includes(check.kind))?.kind;
      return kind ? `string (${kind === 'url' ? 'URL' : 'email'})` : 'string';
    }
    case 'ZodNumber':
      return 'number';
    case 'ZodBigInt':
      return 'bigint';
    case 'ZodBoolean':
      return 'boolean';
    case 'ZodLiteral':
      return JSON.stringify(definition.value);
    case 'ZodEnum':
      return (definition.values as string[]).map((value) => JSON.stringify(value)).join(' \\| ');
    case 'ZodNativeEnum':
      return Object.values(definition.values as Record<string, unknown>)
        .filter((value) => typeof value === 'string')
        .map((value) => JSON.stringify(value))
        .join(' \\| ');
    case 'ZodArray': {
      const item = typeOf(definition.type as Schema);
      return item.includes('|') ? `(${item})[]` : `${item}[]`;
    }
    case 'ZodObject':
    case 'ZodRecord':
      return 'object';
    case 'ZodUnion':
    case 'ZodDiscriminatedUnion': {
      const options = (definition.options as Schema[]).map(typeOf);
      return [...new Set(options)].join(' \\| ');
    }
    default:
      return 'any';
  }
};

const defaultOf = (schema: Schema): string | undefined => {
  const withDefault = unwrap(schema).find((item) => item._def.typeName === 'ZodDefault');
  if (!withDefault) {
    return undefined;
  }
  const value = (withDefault._def.defaultValue as () => unknown)();
  return JSON.stringify(value);
};

const descriptionOf = (schema: Schema): string | undefined =>
  unwrap(schema).find((item) => typeof item._def.description === 'string')?._def.description;

/** The object schemas a guard is made of: itself, or each option of a union, each side of `&`. */
const objectShapes = (guard: Schema, depth = 0): Array<Record<string, Schema>> => {
  if (depth > 20) {
    return [];
  }
  const base = unwrap(guard).at(-1) as Schema;
  const definition = base._def;
  switch (definition.typeName) {
    case 'ZodObject':
      return [(definition.shape as () => Record<string, Schema>)()];
    case 'ZodUnion':
    case 'ZodDiscriminatedUnion':
      return (definition.options as Schema[]).flatMap((option) => objectShapes(option, depth + 1));
    case 'ZodIntersection': {
      const left = objectShapes(definition.left as Schema, depth + 1);
      const right = objectShapes(definition.right as Schema, depth + 1);
      return [Object.assign({}, ...left, ...right) as Record<string, Schema>];
    }
    default:
      return [];
  }
};

/**
 * Every top-level key, in declaration order. For a union of config shapes a key is required only
 * when every shape requires it.
 */
export const describeConfigKeys = (guard: unknown): ConfigKey[] => {
  if (!isSchema(guard)) {
    throw new Error('The config guard is not a zod schema');
  }
  const shapes = objectShapes(guard);
  const keys = new Map<string, ConfigKey>();
  for (const shape of shapes) {
    for (const [key, schema] of Object.entries(shape)) {
      const described: ConfigKey = {
        key,
        required: !acceptsUndefined(schema),
        type: typeOf(schema),
      };
      const defaultValue = defaultOf(schema);
      const description = descriptionOf(schema);
      if (defaultValue !== undefined) {
        described.defaultValue = defaultValue;
      }
      if (description !== undefined) {
        described.description = description;
      }
      const known = keys.get(key);
      keys.set(
        key,
        known
          ? {
              ...known,
              required: known.required && described.required,
              type:
                known.type === described.type ? known.type : `${known.type} \\| ${described.type}`,
              ...(known.description === undefined && described.description !== undefined
                ? { description: described.description }
                : {}),
            }
          : described,
      );
    }
  }
  return [...keys.values()].map((entry) => ({
    ...entry,
    required: entry.required && shapes.every((shape) => entry.key in shape),
  }));
};
