/**
 * Keeps audit bodies useful and bounded: a UPS ship response carries one base64 label image per package
 * (tens of KB each), and an audit row per call must not store them again — the labels table already does.
 */
export interface TruncationLimits {
  /** A base64-looking string longer than this is replaced by a placeholder with its size. */
  maxBase64Chars: number;
  /** Any other string longer than this is cut, noting the original length. */
  maxStringChars: number;
  /** The whole body as JSON; above it only a preview is kept. */
  maxBodyChars: number;
}

export const DEFAULT_TRUNCATION_LIMITS: TruncationLimits = {
  maxBase64Chars: 1024,
  maxStringChars: 8 * 1024,
  maxBodyChars: 256 * 1024,
};

const BASE64ISH = /^[A-Za-z0-9+/\r\n]+={0,2}$/;

export function truncateBody(value: unknown, limits: TruncationLimits = DEFAULT_TRUNCATION_LIMITS): unknown {
  const trimmed = shrink(value, limits);
  let json: string | undefined;
  try {
    json = JSON.stringify(trimmed);
  } catch {
    return '[body not serialisable]';
  }
  if (json === undefined || json.length <= limits.maxBodyChars) return trimmed;
  return {
    truncated: true,
    originalChars: json.length,
    preview: json.slice(0, Math.min(4096, limits.maxBodyChars)),
  };
}

function shrink(value: unknown, limits: TruncationLimits): unknown {
  if (typeof value === 'string') return shrinkString(value, limits);
  if (Array.isArray(value)) return value.map((v) => shrink(v, limits));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = shrink(v, limits);
    return out;
  }
  return value;
}

function shrinkString(text: string, limits: TruncationLimits): string {
  if (text.length > limits.maxBase64Chars && BASE64ISH.test(text)) {
    return `[base64 omitted: ${formatSize(Math.floor((text.replace(/[\r\n=]/g, '').length * 3) / 4))}]`;
  }
  if (text.length > limits.maxStringChars) {
    return `${text.slice(0, limits.maxStringChars)}…[truncated, ${text.length} chars]`;
  }
  return text;
}

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}
