// What the judge's worker answers the page.
import type { CaptureErrorCode } from '../../../shared/capture/errors.ts';
import type { JudgedCapture } from '../../../shared/capture/judgeFile.ts';

export type JudgeReply = { ok: true; judged: JudgedCapture } | { ok: false; code: CaptureErrorCode; facts: Record<string, number | string> };
