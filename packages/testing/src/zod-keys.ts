import type { ZodTypeAny } from 'zod';

/**
 * The schema of each top-level key a config guard knows, through refinements, defaults, unions
 * and intersections: a key that several shapes of a union declare has one schema per shape.
 */
export const configGuardKeySchemas = (guard: unknown): Map<string, ZodTypeAny[]> => {
  const schemas = new Map<string, ZodTypeAny[]>();
  const visit = (schema: ZodTypeAny | undefined, depth: number) => {
    if (!schema || depth > 20) {
      return;
    }
    const definition = schema._def as Record<string, unknown> & { typeName?: string };
    switch (definition.typeName) {
      case 'ZodObject': {
        const shape = (schema as unknown as { shape: Record<string, ZodTypeAny> }).shape;
        for (const [key, value] of Object.entries(shape)) {
          schemas.set(key, [...(schemas.get(key) ?? []), value]);
        }
        return;
      }
      case 'ZodEffects':
        return visit(definition.schema as ZodTypeAny, depth + 1);
      case 'ZodOptional':
      case 'ZodNullable':
      case 'ZodDefault':
      case 'ZodCatch':
      case 'ZodReadonly':
      case 'ZodBranded':
        return visit(definition.innerType as ZodTypeAny, depth + 1);
      case 'ZodPipeline':
        return visit(definition.in as ZodTypeAny, depth + 1);
      case 'ZodLazy':
        return visit((definition.getter as () => ZodTypeAny)(), depth + 1);
      case 'ZodUnion':
      case 'ZodDiscriminatedUnion':
        for (const option of definition.options as ZodTypeAny[]) {
          visit(option, depth + 1);
        }
        return;
      case 'ZodIntersection':
        visit(definition.left as ZodTypeAny, depth + 1);
        visit(definition.right as ZodTypeAny, depth + 1);
        return;
      default:
        return;
    }
  };
  visit(guard as ZodTypeAny, 0);
  return schemas;
};

/**
 * The top-level keys a config guard knows, through refinements, defaults, unions and
 * intersections. Used to check that every `formItems` key is a real config key.
 */
export const configGuardKeys = (guard: unknown): Set<string> =>
  new Set(configGuardKeySchemas(guard).keys());
