// Protocol errors, shown on whichever screen is up (its error line) and said aloud.
import { pickLocalized } from '../../../shared/i18n/index.ts';
import { bus } from '../bus.ts';
import { lang, showError, tr } from './page.ts';

export function showProtocolErrors(): void {
  bus.on('error', ({ error }) => {
    const text = error.code === 'INTERNAL' && /time/i.test(error.message.en) ? tr('error.timeout') : pickLocalized(error.message, lang());
    showError(text);
  });
}
