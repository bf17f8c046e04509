import { ConnectorErrorCodes } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';
import {
  aliyunPercentEncode,
  aliyunRpcError,
  aliyunRpcStringToSign,
  aliyunRpcTimestamp,
  buildSignedAliyunRpcParameters,
  mapAliyunErrorCode,
  readAliyunRpcError,
  signAliyunRpcRequest,
} from './aliyun-rpc';
import { usageLimitExceededCode } from './errors';

// The worked example of Alibaba Cloud's RPC signature documentation (ECS DescribeRegions).
const documentedParameters = {
  Timestamp: '2016-02-23T12:46:24Z',
  Format: 'XML',
  AccessKeyId: 'testid',
  Action: 'DescribeRegions',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
  Version: '2014-05-26',
  SignatureVersion: '1.0',
};

describe('signAliyunRpcRequest', () => {
  it('reproduces the string to sign of the documented example', () => {
    expect(aliyunRpcStringToSign('GET', documentedParameters)).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML' +
        '%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf' +
        '%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
    );
  });

  it('reproduces the signature of the documented example', () => {
    expect(
      signAliyunRpcRequest({
        method: 'GET',
        parameters: documentedParameters,
        accessKeySecret: 'testsecret',
      }),
    ).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });

  it('leaves Signature and undefined values out of the string to sign', () => {
    expect(aliyunRpcStringToSign('POST', { B: '2', A: '1', Signature: 'x', C: undefined })).toBe(
      'POST&%2F&A%3D1%26B%3D2',
    );
  });

  it('signs the method: the same parameters give another signature for GET and POST', () => {
    const sign = (method: 'GET' | 'POST') =>
      signAliyunRpcRequest({ method, parameters: { A: '1' }, accessKeySecret: 'secret' });
    expect(sign('GET')).not.toBe(sign('POST'));
  });
});

describe('aliyunPercentEncode', () => {
  it('encodes everything but A-Z a-z 0-9 - _ . ~, as UTF-8', () => {
    expect(aliyunPercentEncode("a b*c!d'e(f)g~h-_.")).toBe('a%20b%2Ac%21d%27e%28f%29g~h-_.');
    expect(aliyunPercentEncode('验证码 <b>&"')).toBe('%E9%AA%8C%E8%AF%81%E7%A0%81%20%3Cb%3E%26%22');
  });
});

describe('buildSignedAliyunRpcParameters', () => {
  it('adds the common parameters and a signature over all of them', () => {
    const signed = buildSignedAliyunRpcParameters({
      action: 'SingleSendMail',
      version: '2015-11-23',
      accessKeyId: 'key-id',
      accessKeySecret: 'key-secret',
      parameters: { ToAddress: 'a@example.com', FromAlias: undefined },
      now: new Date('2024-05-06T07:08:09.123Z'),
      nonce: 'nonce-1',
    });
    const { Signature, ...unsigned } = signed;
    expect(unsigned).toEqual({
      ToAddress: 'a@example.com',
      Action: 'SingleSendMail',
      Version: '2015-11-23',
      Format: 'JSON',
      AccessKeyId: 'key-id',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: 'nonce-1',
      Timestamp: '2024-05-06T07:08:09Z',
    });
    expect(Signature).toBe(
      signAliyunRpcRequest({ method: 'POST', parameters: unsigned, accessKeySecret: 'key-secret' }),
    );
  });

  it('uses a fresh nonce for every call', () => {
    const call = {
      action: 'SingleSendMail',
      version: '2015-11-23',
      accessKeyId: 'id',
      accessKeySecret: 'secret',
      parameters: {},
    };
    expect(buildSignedAliyunRpcParameters(call).SignatureNonce).not.toBe(
      buildSignedAliyunRpcParameters(call).SignatureNonce,
    );
  });

  it('formats the timestamp without milliseconds', () => {
    expect(aliyunRpcTimestamp(new Date('2016-02-23T12:46:24.999Z'))).toBe('2016-02-23T12:46:24Z');
  });
});

describe('Alibaba Cloud error mapping', () => {
  it('reads an error body and ignores success bodies', () => {
    expect(
      readAliyunRpcError({ Code: 'InvalidToAddress', Message: 'bad', RequestId: 'r-1' }),
    ).toEqual({ code: 'InvalidToAddress', message: 'bad', requestId: 'r-1' });
    expect(readAliyunRpcError({ EnvId: '1', RequestId: 'r' })).toBeUndefined();
    expect(readAliyunRpcError({ Code: 'OK', Message: 'OK' })).toBeUndefined();
    expect(readAliyunRpcError('Code')).toBeUndefined();
  });

  it.each([
    ['InvalidAccessKeyId.NotFound', ConnectorErrorCodes.InvalidConfig],
    ['InvalidAccessKeyId.Inactive', ConnectorErrorCodes.InvalidConfig],
    ['SignatureDoesNotMatch', ConnectorErrorCodes.InvalidConfig],
    ['InvalidMailAddress.NotFound', ConnectorErrorCodes.InvalidConfig],
    ['Throttling.User', ConnectorErrorCodes.RateLimitExceeded],
    ['Throttling', ConnectorErrorCodes.RateLimitExceeded],
    ['QuotaExhausted', usageLimitExceededCode()],
    ['InvalidQuota.Exceed', usageLimitExceededCode()],
    ['InvalidToAddress', ConnectorErrorCodes.General],
    ['SomethingNew', ConnectorErrorCodes.General],
  ])('maps %s to %s', (code, expected) => {
    expect(mapAliyunErrorCode(code)).toBe(expected);
  });

  it("builds an error naming Alibaba's code and message", () => {
    const error = aliyunRpcError(
      { code: 'InvalidToAddress', message: 'The specified toAddress is wrongly formed.' },
      'Aliyun Direct Mail',
      400,
    );
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.data).toMatchObject({
      message:
        'Aliyun Direct Mail answered `InvalidToAddress`: The specified toAddress is wrongly formed.',
      provider: 'Aliyun Direct Mail',
      providerCode: 'InvalidToAddress',
      description: 'The specified toAddress is wrongly formed.',
      status: 400,
    });
  });

  it('says a refused signature is the Access Key Secret, without the string to sign', () => {
    const error = aliyunRpcError(
      {
        code: 'SignatureDoesNotMatch',
        message:
          'Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DLTAI%26HtmlBody%3DYour%2520code%2520is%2520424242',
        requestId: 'r-9',
      },
      'Aliyun Direct Mail',
      400,
    );
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    const { message } = error.data as { message: string };
    expect(message).toBe(
      'Aliyun Direct Mail refused the request signature (`SignatureDoesNotMatch`): check the Access Key Secret (`accessKeySecret`); it must be the secret of the Access Key ID in use',
    );
    expect(error.data).toMatchObject({
      providerCode: 'SignatureDoesNotMatch',
      description: 'Specified signature is not matched with our calculation.',
      hint: 'quote request id r-9 to Alibaba Cloud support',
      status: 400,
    });
    const text = JSON.stringify(error.data);
    expect(text).not.toContain('string to sign');
    expect(text).not.toContain('424242');
  });

  it('hints at the clock for an expired timestamp', () => {
    const error = aliyunRpcError({ code: 'InvalidTimeStamp.Expired' }, 'Aliyun');
    expect((error.data as { message: string }).message).toContain('server clock');
  });
});
