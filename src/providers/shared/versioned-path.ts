/**
 * Joins an API path onto a provider base URL whose path may or may not already end with the API
 * version. The documented bases are version-less (`https://api.anthropic.com`,
 * `https://generativelanguage.googleapis.com`), but people often paste `.../v1`; both work.
 * The upstream client prefixes the base URL's own path, so only the remainder is returned.
 */
export function pathAfterBase(baseUrl: string, version: string, rest: string): string {
  let basePath: string;
  try {
    basePath = new URL(baseUrl).pathname.replace(/\/+$/, '');
  } catch {
    basePath = '';
  }
  return basePath.endsWith(`/${version}`) ? rest : `/${version}${rest}`;
}
