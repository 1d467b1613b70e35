// Why a file cannot be judged. The codes are a closed list; shared/i18n/capture.ts says each in both languages.

export const CAPTURE_ERROR_CODES = ['NOT_A_CAPTURE', 'TRUNCATED', 'TOO_LARGE', 'TOO_MANY_PACKETS', 'NO_TCP', 'NO_SUCH_CONNECTION'] as const;
export type CaptureErrorCode = (typeof CAPTURE_ERROR_CODES)[number];

/** The largest file read (bytes) and the most packets: above them the reader stops at once and says which. */
export const MAX_CAPTURE_BYTES = 64 * 1024 * 1024;
export const MAX_CAPTURE_PACKETS = 200_000;

export class CaptureError extends Error {
  constructor(
    readonly code: CaptureErrorCode,
    /** numbers the message names: the limit, the size, the offset where the file broke off */
    readonly facts: Record<string, number | string> = {},
  ) {
    super(`${code} ${JSON.stringify(facts)}`);
    this.name = 'CaptureError';
  }
}
