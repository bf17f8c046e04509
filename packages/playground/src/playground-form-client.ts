import { expect } from 'vitest';

/**
 * For tests of the playground's HTTP side: one browser without a browser, i.e. its session cookie,
 * form posts and callbacks (each answered with a 303 redirect, whose target it returns) and pages
 * (200).
 */
export const createFormClient = (baseUrl: string) => {
  let cookie = '';
  const post = async (path: string, form: Record<string, string>) => {
    const response = await fetch(new URL(path, baseUrl), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams(form).toString(),
    });
    cookie = response.headers.get('set-cookie')?.split(';')[0] ?? cookie;
    expect(response.status).toBe(303);
    return response.headers.get('location');
  };
  const html = async (path: string) => {
    const response = await fetch(new URL(path, baseUrl), { headers: { cookie } });
    expect(response.status).toBe(200);
    return response.text();
  };
  /** A GET the playground answers with a redirect (a sign-in callback): where it sends the browser. */
  const redirectOf = async (path: string) => {
    const response = await fetch(new URL(path, baseUrl), {
      redirect: 'manual',
      headers: { cookie },
    });
    cookie = response.headers.get('set-cookie')?.split(';')[0] ?? cookie;
    expect(response.status).toBe(303);
    return response.headers.get('location') ?? '';
  };
  return { post, html, redirectOf };
};
