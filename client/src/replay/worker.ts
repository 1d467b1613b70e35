// The capture judge off the page's main thread: the page posts the file's bytes, the worker reads, splits and
// judges them (shared/capture, the same code as `npm run capture`) and posts back the verdicts or the reason
// the file cannot be judged. Nothing leaves the browser.
import { CaptureError } from '../../../shared/capture/errors.ts';
import { judgeCapture } from '../../../shared/capture/judgeFile.ts';
import type { TcpProfile } from '../../../shared/tcp/types.ts';
import type { JudgeReply } from './protocol.ts';

self.onmessage = (event: MessageEvent<{ bytes: ArrayBuffer; profile: TcpProfile }>) => {
  let reply: JudgeReply;
  try {
    reply = { ok: true, judged: judgeCapture(new Uint8Array(event.data.bytes), { profile: event.data.profile }) };
  } catch (error) {
    reply =
      error instanceof CaptureError
        ? { ok: false, code: error.code, facts: error.facts }
        : { ok: false, code: 'NOT_A_CAPTURE', facts: {} };
  }
  (self as unknown as Worker).postMessage(reply);
};
