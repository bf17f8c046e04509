import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type AliyunDmErrorCode,
  type AliyunDmRegionId,
  aliyunDmEndpoints,
  aliyunDmErrors,
  aliyunDmHandlers,
  aliyunPercentEncode,
  aliyunRpcStringToSign,
  createAliyunDmBackend,
  signAliyunRpcRequest,
  startAliyunDmEmulator,
  verifyAliyunRpcSignature,
} from './aliyun-dm';

const AccessKeyId = 'LTAI-test-id';
const AccessKeySecret = 'test-secret/with+odd=chars';

const isoSeconds = (date = new Date()) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A SingleSendMail request as a connector would build it, signed for `method`. */
const signedParams = (
  overrides: Record<string, string | undefined> = {},
  { method = 'POST', secret = AccessKeySecret } = {},
): Record<string, string> => {
  const params = Object.fromEntries(
    Object.entries({
      Format: 'JSON',
      Version: '2015-11-23',
      AccessKeyId: AccessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      Timestamp: isoSeconds(),
      SignatureVersion: '1.0',
      SignatureNonce: randomUUID(),
      RegionId: 'cn-hangzhou',
      Action: 'SingleSendMail',
      AccountName: 'noreply@mail.example.com',
      AddressType: '1',
      ReplyToAddress: 'false',
      ToAddress: 'user@example.org',
      FromAlias: 'Logto',
      Subject: 'Your code: 123456',
      HtmlBody: '<p>Your code is <b>123456</b> — ünïcode & spaces!*()</p>',
      ...overrides,
    }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return { ...params, Signature: signAliyunRpcRequest(method, params, secret) };
};

/** Aliyun answers flat JSON objects of strings. */
const json = async (response: Response) => (await response.json()) as Record<string, string>;

const post = (url: string, params: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });

describe('the RPC signature', () => {
  // The worked example of Alibaba Cloud's ECS API reference, "Signature" ("Sample 1. Parameter
  // Concatenation Method"): https://www.alibabacloud.com/help/doc-detail/25492.htm
  // (source mirrored at github.com/AlibabaCloudDocs/ecs, intl.en-US/API Reference/Call methods).
  const documented = {
    AccessKeyId: 'testid',
    Action: 'DescribeRegions',
    Format: 'XML',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
    SignatureVersion: '1.0',
    Timestamp: '2016-02-23T12:46:24Z',
    Version: '2014-05-26',
  };

  it('reproduces the documented StringToSign and signature (AccessKeySecret "testsecret")', () => {
    expect(aliyunRpcStringToSign('GET', documented)).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1' +
        '%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0' +
        '%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
    );
    expect(signAliyunRpcRequest('GET', documented, 'testsecret')).toBe(
      'OLeaidS1JvxuMvnyHOwuJ+uX5qY=',
    );
    expect(
      verifyAliyunRpcSignature(
        'GET',
        { ...documented, Signature: 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=' },
        'testsecret',
      ),
    ).toBe(true);
  });

  it('reproduces the older documented vector, spelled "TimeStamp"', () => {
    // Same example in the older "Request signatures" pages (e.g. AlibabaCloudDocs/avds,
    // smartag), whose parameter was "TimeStamp": signature CT9X0VtwR86fNWSnsc6v8YGOjuE=.
    const { Timestamp, ...rest } = documented;
    expect(signAliyunRpcRequest('GET', { ...rest, TimeStamp: Timestamp }, 'testsecret')).toBe(
      'CT9X0VtwR86fNWSnsc6v8YGOjuE=',
    );
  });

  it('rejects a signature made with another secret, method or value', () => {
    const params = signedParams();
    expect(verifyAliyunRpcSignature('POST', params, AccessKeySecret)).toBe(true);
    expect(verifyAliyunRpcSignature('GET', params, AccessKeySecret)).toBe(false);
    expect(verifyAliyunRpcSignature('POST', params, 'other')).toBe(false);
    expect(
      verifyAliyunRpcSignature(
        'POST',
        { ...params, ToAddress: 'evil@example.org' },
        AccessKeySecret,
      ),
    ).toBe(false);
    expect(verifyAliyunRpcSignature('POST', { ...params, Signature: '' }, AccessKeySecret)).toBe(
      false,
    );
  });

  it("percent-encodes all but A-Z a-z 0-9 - _ . ~, including ! ' ( ) * and space", () => {
    expect(aliyunPercentEncode("a b+c*d~e!f'g(h)i/j=k&l")).toBe(
      'a%20b%2Bc%2Ad~e%21f%27g%28h%29i%2Fj%3Dk%26l',
    );
    expect(aliyunPercentEncode('测试')).toBe('%E6%B5%8B%E8%AF%95');
  });

  it('agrees with the documented alternative (form-encode, then fix + * %7E) on any text', () => {
    // The docs' fallback: URLEncoder output with "+"→"%20", "*"→"%2A", "%7E"→"~". In JS terms
    // encodeURIComponent plus escaping the five characters it leaves alone.
    const alternative = (text: string) =>
      encodeURIComponent(text).replace(
        /[!'()*]/g,
        (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
      );
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        (text) => aliyunPercentEncode(text) === alternative(text),
      ),
      { numRuns: 500 },
    );
  });
});

describe('aliyunDmHandlers (msw, real URLs)', () => {
  const backend = createAliyunDmBackend({
    accounts: { [AccessKeyId]: AccessKeySecret },
    senders: ['noreply@mail.example.com'],
  });
  const server = setupServer(...aliyunDmHandlers(backend));
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => backend.reset());
  afterAll(() => server.close());

  it.each(Object.entries(aliyunDmEndpoints))(
    'accepts a correctly signed POST to %s',
    async (region, endpoint) => {
      const response = await post(`https://${endpoint.host}/`, signedParams({ RegionId: region }));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/json');
      const body = await json(response);
      expect(body).toEqual({
        RequestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
        EnvId: expect.any(String),
      });
      expect(backend.mails).toHaveLength(1);
      expect(backend.mails[0]).toMatchObject({
        region: region as AliyunDmRegionId,
        host: endpoint.host,
        method: 'POST',
        accessKeyId: AccessKeyId,
        accountName: 'noreply@mail.example.com',
        addressType: 1,
        replyToAddress: false,
        toAddress: ['user@example.org'],
        fromAlias: 'Logto',
        subject: 'Your code: 123456',
        htmlBody: '<p>Your code is <b>123456</b> — ünïcode & spaces!*()</p>',
        textBody: undefined,
        requestId: body.RequestId,
      });
    },
  );

  it('accepts a GET with the parameters in the query string, and a VPC endpoint', async () => {
    const query = new URLSearchParams(
      signedParams({ TextBody: 'plain', HtmlBody: undefined }, { method: 'GET' }),
    );
    const response = await fetch(`https://dm-vpc.eu-central-1.aliyuncs.com/?${query}`);
    expect(response.status).toBe(200);
    expect(backend.mails[0]).toMatchObject({
      region: 'eu-central-1',
      method: 'GET',
      textBody: 'plain',
    });
  });

  it('rejects a tampered request with SignatureDoesNotMatch, in Aliyun’s error shape', async () => {
    const params = { ...signedParams(), ToAddress: 'attacker@example.org' };
    const response = await post('https://dm.aliyuncs.com/', params);
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(Object.keys(body).sort()).toEqual([
      'Code',
      'HostId',
      'Message',
      'Recommend',
      'RequestId',
    ]);
    expect(body).toMatchObject({
      Code: 'SignatureDoesNotMatch',
      HostId: 'dm.aliyuncs.com',
      Message: expect.stringContaining('server string to sign is:POST&%2F&AccessKeyId'),
    });
    expect(backend.mails).toHaveLength(0);
  });

  it('rejects a signature made with the wrong secret, and an unknown AccessKeyId with 404', async () => {
    const wrongSecret = await post(
      'https://dm.aliyuncs.com/',
      signedParams({}, { secret: 'wrong' }),
    );
    expect(wrongSecret.status).toBe(400);
    expect((await json(wrongSecret)).Code).toBe('SignatureDoesNotMatch');

    const unknown = await post('https://dm.aliyuncs.com/', signedParams({ AccessKeyId: 'nobody' }));
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).Code).toBe('InvalidAccessKeyId.NotFound');
  });

  it.each([
    ['no body at all', { HtmlBody: undefined }, 400, 'InvalidBody'],
    ['a malformed recipient', { ToAddress: 'not-an-address' }, 400, 'InvalidToAddress'],
    [
      'a recipient with CR/LF',
      { ToAddress: 'a@example.org\r\nBcc: b@example.org' },
      400,
      'InvalidToAddress',
    ],
    ['a 16-character alias', { FromAlias: 'x'.repeat(16) }, 400, 'InvalidFromAlias.Malformed'],
    ['a 101-character subject', { Subject: 's'.repeat(101) }, 400, 'InvalidSubject.Malformed'],
    [
      'a sender not configured',
      { AccountName: 'other@mail.example.com' },
      400,
      'InvalidMailAddress.NotFound',
    ],
    ['no AccountName', { AccountName: undefined }, 400, 'MissingParameter'],
    ['no SignatureNonce', { SignatureNonce: undefined }, 400, 'MissingParameter'],
    ['a bad AddressType', { AddressType: '2' }, 400, 'InvalidParameter'],
    ['a boolean-ish ReplyToAddress', { ReplyToAddress: 'TRUE' }, 400, 'InvalidParameter'],
    ['another action', { Action: 'BatchSendMail' }, 404, 'InvalidAction.NotFound'],
    ['another API version', { Version: '2014-05-26' }, 400, 'InvalidVersion'],
    ['HMAC-SHA256 as method', { SignatureMethod: 'HMAC-SHA256' }, 400, 'IncompleteSignature'],
    [
      'a local-time Timestamp',
      { Timestamp: '2024-01-01 10:00:00' },
      400,
      'InvalidTimeStamp.Format',
    ],
    [
      'a Timestamp 20 minutes old',
      { Timestamp: isoSeconds(new Date(Date.now() - 20 * 60_000)) },
      400,
      'InvalidTimeStamp.Expired',
    ],
  ] as const)('answers %s with its error', async (_name, overrides, status, code) => {
    const response = await post('https://dm.aliyuncs.com/', signedParams(overrides));
    expect({ status: response.status, code: (await json(response)).Code }).toEqual({
      status,
      code,
    });
    expect(backend.mails).toHaveLength(0);
  });

  it('refuses a replayed SignatureNonce', async () => {
    const params = signedParams();
    expect((await post('https://dm.aliyuncs.com/', params)).status).toBe(200);
    const replay = await post('https://dm.aliyuncs.com/', params);
    expect(replay.status).toBe(400);
    expect((await json(replay)).Code).toBe('SignatureNonceUsed');
  });

  it('answers in XML when Format is absent (Aliyun’s default)', async () => {
    const response = await post('https://dm.aliyuncs.com/', signedParams({ Format: undefined }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/xml');
    expect(await response.text()).toMatch(
      /^<\?xml .*<SingleSendMailResponse><RequestId>[^<]+<\/RequestId><EnvId>/,
    );
  });

  it.each(Object.keys(aliyunDmErrors) as AliyunDmErrorCode[])(
    'can force %s for the next request',
    async (code) => {
      backend.forceError(code);
      const forced = await post('https://dm.ap-southeast-1.aliyuncs.com/', signedParams());
      expect(forced.status).toBe(aliyunDmErrors[code].status);
      expect(await json(forced)).toMatchObject({
        Code: code,
        Message: aliyunDmErrors[code].message,
        HostId: 'dm.ap-southeast-1.aliyuncs.com',
      });
      expect(backend.mails).toHaveLength(0);

      const next = await post('https://dm.ap-southeast-1.aliyuncs.com/', signedParams());
      expect(next.status).toBe(200);
      expect(backend.requests.map((request) => request.code)).toEqual([code, undefined]);
    },
  );

  it('forces a custom code, several times, and still validates the request first', async () => {
    backend.forceError({ code: 'Quota.Exhausted', status: 403, message: 'No quota left' }, 2);
    const tampered = await post('https://dm.aliyuncs.com/', {
      ...signedParams(),
      Subject: 'changed',
    });
    expect((await json(tampered)).Code).toBe('SignatureDoesNotMatch');
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const response = await post('https://dm.aliyuncs.com/', signedParams());
      expect(response.status).toBe(403);
      expect(await json(response)).toMatchObject({
        Code: 'Quota.Exhausted',
        Message: 'No quota left',
      });
    }
    expect((await post('https://dm.aliyuncs.com/', signedParams())).status).toBe(200);
  });
});

describe('startAliyunDmEmulator (HTTP on loopback)', () => {
  it('serves the same API to fetch, and stops cleanly', async () => {
    const emulator = await startAliyunDmEmulator({
      accounts: { [AccessKeyId]: AccessKeySecret },
    });
    try {
      expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const response = await post(emulator.url, signedParams());
      expect(response.status).toBe(200);
      expect(emulator.mails).toHaveLength(1);
      expect(emulator.mails[0]?.region).toBeUndefined();
      expect(emulator.mails[0]?.host).toBe(`127.0.0.1:${emulator.port}`);

      emulator.backend.forceError('Throttling.User');
      const throttled = await post(emulator.url, signedParams());
      expect(throttled.status).toBe(400);
      expect((await json(throttled)).Code).toBe('Throttling.User');
    } finally {
      await emulator.stop();
    }
  });

  it('can hold a request so a client timeout fires, and stop() releases it', async () => {
    const emulator = await startAliyunDmEmulator({
      accounts: { [AccessKeyId]: AccessKeySecret },
    });
    emulator.backend.delayNext('forever');
    const startedAt = Date.now();
    await expect(
      fetch(emulator.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(signedParams()).toString(),
        signal: AbortSignal.timeout(200),
      }),
    ).rejects.toThrow(/timeout|aborted/i);
    expect(Date.now() - startedAt).toBeLessThan(2000);
    await emulator.stop();
  });
});
