/** A `data:<mime>;base64,<payload>` URL split into its parts; undefined for any other URL. */
export function parseBase64DataUrl(url: string): { mediaType: string; data: string } | undefined {
  const m = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (!m || m[1] === undefined || m[2] === undefined) return undefined;
  return { mediaType: m[1].toLowerCase(), data: m[2] };
}

const IMAGE_TYPES_BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
};

/** Guesses a media type from a URL's extension; JPEG when unknown (the most common image type). */
export function guessMediaTypeFromUrl(url: string): string {
  let pathname = url;
  try {
    pathname = new URL(url).pathname;
  } catch {
    // Not an absolute URL: use it as is.
  }
  const ext = /\.([a-z0-9]+)$/i.exec(pathname)?.[1]?.toLowerCase();
  return (ext && IMAGE_TYPES_BY_EXTENSION[ext]) || 'image/jpeg';
}
