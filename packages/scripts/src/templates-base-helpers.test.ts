import * as base from '@idplug/base';
import { clientCredentialFormItems, pkceConfigField, timeoutConfigField } from '@idplug/base';
import { ConnectorConfigFormItemType } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  collectBaseHelpers,
  guardShapeOf,
  schemaStructure,
  spelledOutBaseFields,
} from './templates-base-helpers';

const helpers = collectBaseHelpers(base as Record<string, unknown>);

const scopeItem = {
  key: 'scope',
  type: ConnectorConfigFormItemType.Text,
  label: 'Scope',
  required: false,
};

/** A social template as it should be: base's credentials, PKCE and timeout, its own scope. */
const onBase = {
  formItems: [...clientCredentialFormItems({ secretRequired: true }), scopeItem],
  guardShape: guardShapeOf(
    z.object({
      clientId: z.string().min(1),
      clientSecret: z.string().min(1),
      scope: z.string().optional(),
      pkce: pkceConfigField.describe('In the template’s own words.'),
      timeout: timeoutConfigField('Milliseconds for each call.'),
    }),
  ),
  source:
    'formItems: [...clientCredentialFormItems({ secretRequired: true })], pkce: pkceConfigField, timeout: timeoutConfigField(...)',
};

describe('checking a template against @idplug/base’s helpers', () => {
  it('finds base’s form-item and config-field helpers by their names', () => {
    const names = helpers.map(({ helper }) => helper);
    expect(names).toEqual(
      expect.arrayContaining([
        'clientCredentialFormItems',
        'timeoutConfigField',
        'pkceConfigField',
      ]),
    );
    const credentials = helpers.find(({ helper }) => helper === 'clientCredentialFormItems');
    expect(credentials?.formItems?.map(({ key, required }) => `${key}:${required}`)).toEqual([
      'clientId:true',
      'clientSecret:true',
      'clientId:true',
      'clientSecret:false',
    ]);
    expect(
      Object.keys(helpers.find(({ helper }) => helper === 'timeoutConfigField')?.fields ?? {}),
    ).toEqual(['timeout']);
  });

  it('accepts a template that takes those fields from base', () => {
    expect(spelledOutBaseFields(onBase, helpers)).toEqual([]);
  });

  it('reports client credential form items written out by hand', () => {
    const handWritten = {
      ...onBase,
      formItems: [
        {
          key: 'clientId',
          type: ConnectorConfigFormItemType.Text,
          label: 'Client ID',
          required: true,
          placeholder: '<client-id>',
          description: 'The client ID of the OAuth app.',
        },
        ...onBase.formItems.slice(1),
      ],
    };
    expect(spelledOutBaseFields(handWritten, helpers)).toEqual([
      expect.stringMatching(/^form item `clientId` is written out: .*clientCredentialFormItems/),
    ]);
  });

  it('reports a form item copied from base without naming the helper', () => {
    const copied = { ...onBase, source: onBase.source.replace('clientCredentialFormItems', '') };
    expect(spelledOutBaseFields(copied, helpers)).toEqual([
      expect.stringContaining('form item `clientId`'),
      expect.stringContaining('form item `clientSecret`'),
    ]);
  });

  it('reports a timeout spelled out, even one identical to base’s', () => {
    const identical = {
      ...onBase,
      guardShape: {
        ...onBase.guardShape,
        timeout: z.number().int().positive().max(60_000).optional(),
      },
      source: onBase.source.replace('timeoutConfigField(...)', 'z.number()'),
    };
    expect(spelledOutBaseFields(identical, helpers)).toEqual([
      expect.stringMatching(/^config key `timeout` is written out: .*timeoutConfigField/),
    ]);
  });

  it('reports a field that names the helper but has drifted from it', () => {
    const drifted = {
      ...onBase,
      guardShape: { ...onBase.guardShape, timeout: z.number().int().max(120_000).optional() },
    };
    expect(spelledOutBaseFields(drifted, helpers)).toEqual([
      expect.stringContaining('config key `timeout`'),
    ]);
  });

  it('leaves a required clientSecret alone: base’s secret group is the optional one of the standard connectors', () => {
    expect(
      helpers.some(({ helper, fields }) => helper.endsWith('ConfigFields') && fields?.clientSecret),
    ).toBe(true);
    expect(spelledOutBaseFields(onBase, helpers)).toEqual([]);
  });

  it('compares schemas without their descriptions but with their defaults', () => {
    expect(schemaStructure(timeoutConfigField('a'))).toBe(schemaStructure(timeoutConfigField('b')));
    expect(schemaStructure(pkceConfigField)).not.toBe(schemaStructure(z.boolean().default(false)));
  });

  it('asks to be taught a form-item helper that takes options it does not know', () => {
    expect(() =>
      collectBaseHelpers({ regionFormItems: (options: { region: string }) => [options] }),
    ).toThrow(/regionFormItems takes options/);
  });
});
