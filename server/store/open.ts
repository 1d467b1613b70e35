// Which store a server uses, from its configuration: the embedded journal under DATA_DIR by default,
// memory when STORE=memory (tests and benchmarks that want no disk).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config.ts';
import { JOURNAL_FILE, JournalStore } from './journal.ts';
import { MemoryStateStore, StoreOpenError, type StateStore } from './stateStore.ts';

export function openStore(config: Pick<ServerConfig, 'storeKind' | 'dataDir' | 'journalCompact'>, logger: Logger): StateStore {
  if (config.storeKind === 'memory') return new MemoryStateStore();
  const dir = path.resolve(config.dataDir);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new StoreOpenError(path.join(dir, JOURNAL_FILE), `the folder ${dir} cannot be created (${code}). Create it by hand, or set DATA_DIR to a folder the server can write in.`);
  }
  return JournalStore.open(dir, {
    compactMinBytes: Math.round(config.journalCompact.minMb * 1024 * 1024),
    compactRatio: config.journalCompact.ratio,
    log: (message, fields) => logger.warn(fields ?? {}, message),
  });
}
