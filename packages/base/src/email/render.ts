import { valueAtPath } from '../value-at-path';

/**
 * Template rendering with connector-kit's `{{handlebars}}` semantics (`replaceSendMessageHandlebars`):
 * `{{code}}` and nested `{{application.name}}`; a handlebar whose ROOT key is absent from the
 * payload stays as written, a present root with a missing nested key becomes empty. Unlike
 * connector-kit, values are HTML-escaped inside HTML bodies: a payload is data, not markup.
 */

const handlebarPattern = /{{\s*([\w.]+)\s*}}/g;

const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => htmlEscapes[character] ?? character);

const textOf = (value: unknown): string => {
  if (value === undefined || value === null) {
    return '';
  }
  if (typeof value === 'object') {
    try {
      return JSON.stringify(value);
    } catch {
      return '';
    }
  }
  return String(value);
};

export type RenderMode = 'html' | 'text';

export const renderTemplate = (
  template: string,
  payload: Record<string, unknown>,
  mode: RenderMode,
): string =>
  template.replace(handlebarPattern, (handlebar, path: string) => {
    const root = path.split('.')[0] ?? '';
    if (!Object.hasOwn(payload, root)) {
      return handlebar;
    }
    const text = textOf(valueAtPath(payload, path));
    return mode === 'html' ? escapeHtml(text) : text;
  });

const namedEntities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
  apos: "'",
  nbsp: ' ',
};

/**
 * A readable plain-text alternative of an HTML template (RFC 2046 multipart/alternative): links
 * keep their target, block elements become line breaks, tags and styles go. Applied to the
 * TEMPLATE, before values are inserted, so payload values appear exactly once and unescaped.
 */
export const htmlTemplateToText = (html: string): string =>
  html
    .replace(/<(script|style|head|title)[\s\S]*?<\/\1>/gi, '')
    .replace(
      /<a\s[^>]*href\s*=\s*["']([^"']*)["'][^>]*>([\s\S]*?)<\/a>/gi,
      (_, href: string, label: string) => {
        const text = label.replace(/<[^>]+>/g, '').trim();
        return text && text !== href ? `${text} (${href})` : href;
      },
    )
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|li|tr|table|section|article|header|footer)>/gi, '\n')
    .replace(/<li[^>]*>/gi, '- ')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_, name: string) => namedEntities[name] ?? '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();

/** Heuristic for templates with no declared content type: does it contain markup? */
export const looksLikeHtml = (content: string): boolean => /<\/?[a-z][\s\S]*>/i.test(content);
