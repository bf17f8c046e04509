import { amazonSesRegions } from '@idplug/base';
import aws4 from 'aws4';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { regionEndpoint, sendEmailPath } from './constants';
import { signRequest } from './sigv4';

/**
 * Our signatures (aws4fetch, bundled) must equal those of `aws4`, an independent SigV4
 * implementation on Node's crypto, for the same request and time: every SES region, custom
 * endpoints with ports and paths, unicode subjects, empty and large bodies, arbitrary keys.
 */

const amzDate = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

const request = fc.record({
  region: fc.constantFrom(...amazonSesRegions),
  endpoint: fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    fc.constantFrom(
      'http://127.0.0.1:4566',
      'https://vpce-0a1b2c3d-e4f5.email.eu-west-1.vpce.amazonaws.com',
      'https://ses-proxy.internal:8443/aws',
    ),
  ),
  subject: fc.string({ unit: 'binary', maxLength: 200 }),
  body: fc.oneof(
    fc.constant(''),
    fc.string({ unit: 'binary', maxLength: 2000 }),
    // Large bodies (about 50 kB to 1 MB of UTF-8), built by repetition: generating them
    // character by character would take minutes.
    fc
      .tuple(
        fc.string({ unit: 'binary', minLength: 8, maxLength: 40 }),
        fc.integer({ min: 2000, max: 8000 }),
      )
      .map(([chunk, times]) => chunk.repeat(times)),
  ),
  accessKeyId: fc.stringMatching(/^[A-Z0-9]{16,24}$/),
  secretAccessKey: fc.string({ minLength: 20, maxLength: 60 }),
  date: fc.date({ min: new Date('2015-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }),
});

describe('SigV4 signatures', () => {
  it('equal the independent aws4 signer over 1,000 fuzzed SES requests', {
    timeout: 120_000,
  }, async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(request, async (input) => {
        const url = `${input.endpoint ?? regionEndpoint(input.region)}${sendEmailPath}`;
        const body =
          input.body === '' ? '' : JSON.stringify({ Subject: input.subject, Filler: input.body });
        const datetime = amzDate(input.date);
        const ours = await signRequest({
          url,
          body,
          accessKeyId: input.accessKeyId,
          secretAccessKey: input.secretAccessKey,
          region: input.region,
          datetime,
        });
        const { host, pathname } = new URL(url);
        // aws4 reads the time from X-Amz-Date only when it may add headers itself (it would then
        // also sign Content-Type and Content-Length, which aws4fetch leaves unsigned): set it.
        const signer = new aws4.RequestSigner(
          {
            host,
            path: pathname,
            method: 'POST',
            service: 'ses',
            region: input.region,
            body,
            headers: { 'X-Amz-Date': datetime },
            doNotModifyHeaders: true,
          },
          { accessKeyId: input.accessKeyId, secretAccessKey: input.secretAccessKey },
        );
        (signer as unknown as { datetime: string }).datetime = datetime;
        const theirs = signer.sign();
        expect(ours['x-amz-date']).toBe(datetime);
        expect(ours.authorization).toBe(theirs.headers?.Authorization);
        compared += 1;
      }),
      { numRuns: 1000 },
    );
    expect(compared).toBe(1000);
  });

  it('changes the signature when the body, the time, the region or the secret changes', async () => {
    const base = {
      url: `${regionEndpoint('us-east-1')}${sendEmailPath}`,
      body: '{"a":1}',
      accessKeyId: 'AKIAEXAMPLE',
      secretAccessKey: 'secret-one',
      region: 'us-east-1',
      datetime: '20260101T000000Z',
    };
    const signature = async (overrides: Partial<typeof base>) =>
      (await signRequest({ ...base, ...overrides })).authorization;
    const original = await signature({});
    expect(original).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE\/20260101\/us-east-1\/ses\/aws4_request, SignedHeaders=host;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    for (const changed of [
      { body: '{"a":2}' },
      { datetime: '20260101T000001Z' },
      { region: 'eu-west-1' },
      { secretAccessKey: 'secret-two' },
    ]) {
      expect(await signature(changed)).not.toBe(original);
    }
  });
});
