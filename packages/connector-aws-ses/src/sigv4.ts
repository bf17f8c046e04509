import { AwsV4Signer } from 'aws4fetch';
import { signingService } from './constants';

/**
 * AWS Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html)
 * by aws4fetch: small, maintained, WebCrypto-based, bundled into lib/index.js. The signature
 * covers the method, path, host, `x-amz-date` and the SHA-256 of the exact body string that is
 * sent. A test cross-checks it against the independent `aws4` signer over fuzzed requests.
 */

export type SignableRequest = {
  url: string;
  body: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** For tests: the signing time, `YYYYMMDD'T'HHMMSS'Z'`. */
  datetime?: string;
};

/** The headers to send: `authorization`, `x-amz-date`, `content-type` (and whatever else was signed). */
export const signRequest = async (request: SignableRequest): Promise<Record<string, string>> => {
  const signer = new AwsV4Signer({
    method: 'POST',
    url: request.url,
    headers: { 'content-type': 'application/json' },
    body: request.body,
    accessKeyId: request.accessKeyId,
    secretAccessKey: request.secretAccessKey,
    service: signingService,
    region: request.region,
    ...(request.datetime && { datetime: request.datetime }),
  });
  const { headers } = await signer.sign();
  // `host` comes from the URL; fetch sets it itself.
  return Object.fromEntries([...headers].filter(([name]) => name.toLowerCase() !== 'host'));
};
