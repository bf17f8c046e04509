import { ConnectorError } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';
import { connectorError } from '../errors';
import {
  maskPhoneNumber,
  maskPhoneNumberIn,
  maskPhoneNumberInError,
  readPhoneRecipient,
} from './phone-number';

const refusal = (to: unknown): ConnectorError => {
  try {
    readPhoneRecipient(to);
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(ConnectorError);
    return error as ConnectorError;
  }
  throw new Error(`expected ${JSON.stringify(to)} to be refused`);
};

describe('readPhoneRecipient', () => {
  it('normalises a number Logto stored without its + to E.164', () => {
    expect(readPhoneRecipient('4512345678')).toEqual({
      raw: '4512345678',
      number: '4512345678',
      digits: '4512345678',
      e164: '+4512345678',
    });
  });

  it('keeps a leading + and drops spaces, dots, dashes and parentheses', () => {
    expect(readPhoneRecipient(' +45 (12) 34-56.78 ')).toMatchObject({
      number: '+4512345678',
      e164: '+4512345678',
    });
  });

  it('accepts 15 digits, the most E.164 allows', () => {
    expect(readPhoneRecipient('123456789012345').e164).toBe('+123456789012345');
  });

  it.each([
    ['letters', '45123abc78'],
    ['a list', '4512345678,4587654321'],
    ['a line break', '4512345678\r\n4587654321'],
    ['a lone line feed', '4512345678\n'],
    ['16 digits', '1234567890123456'],
    ['3 digits', '112'],
    ['a + in the middle', '45+12345678'],
    ['nothing', ''],
    ['blanks', '   '],
  ])('refuses %s as invalid_request_parameters', (_, to) => {
    expect(refusal(to).code).toBe('invalid_request_parameters');
  });

  it('refuses a value that is not a string', () => {
    for (const to of [undefined, null, 4_512_345_678, ['4512345678'], {}]) {
      expect(refusal(to).code).toBe('invalid_request_parameters');
    }
  });

  it('never echoes the refused value', () => {
    for (const to of ['4512345678901234567', '4512345678 call me', '4512345678\nBcc']) {
      const error = refusal(to);
      const text = `${error.message} ${JSON.stringify(error.data)}`;
      expect(text).not.toContain('4512345678');
      expect(text).not.toContain('call me');
    }
  });

  it('shows only the last 4 digits of a number that is too long', () => {
    const error = refusal('+1234567890123456');
    expect(JSON.stringify(error.data)).toContain('+************3456');
  });
});

describe('maskPhoneNumber', () => {
  it('masks all but the last 4 digits', () => {
    expect(maskPhoneNumber('+4512345678')).toBe('+******5678');
    expect(maskPhoneNumber('8613800000000')).toBe('*********0000');
  });

  it('hides at least 4 digits of a short number', () => {
    expect(maskPhoneNumber('12345')).toBe('****5');
    expect(maskPhoneNumber('1234')).toBe('****');
  });
});

describe('maskPhoneNumberIn', () => {
  const recipient = readPhoneRecipient('4512345678');

  it('masks the number with or without + or 00 in provider text', () => {
    expect(
      maskPhoneNumberIn(
        "The 'To' number +4512345678 is not valid (4512345678, 004512345678)",
        recipient,
      ),
    ).toBe("The 'To' number +******5678 is not valid (******5678, +******5678)");
  });

  it('masks a national number written with its country code', () => {
    expect(maskPhoneNumberIn('+8613800138000 is barred', readPhoneRecipient('13800138000'))).toBe(
      '+*********8000 is barred',
    );
  });

  it('leaves a longer run of digits that merely contains the number alone', () => {
    expect(maskPhoneNumberIn('id 945123456789', recipient)).toBe('id 945123456789');
  });

  it('masks the number in a ConnectorError message and its data', () => {
    const error = maskPhoneNumberInError(
      connectorError('general' as never, 'Could not send to +4512345678', {
        description: 'number 4512345678 opted out',
        hint: 'Twilio tried +4512345678',
      }),
      recipient,
    ) as ConnectorError;
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error.code).toBe('general');
    expect(`${error.message} ${JSON.stringify(error.data)}`).not.toContain('4512345678');
    expect(JSON.stringify(error.data)).toContain('+******5678');
  });
});
