// The protocol layer's error messages, in both languages the game speaks. The referee's own refusals carry
// their explanation with them (shared/game); these are the errors of the wire: bad payloads, rooms, seats,
// versions and limits. One function builds a ProtocolError so every error looks the same on the wire.

import type { LocalizedText, Refusal } from '../game/types.ts';
import { MAX_SESSION_ROUNDS, type ClassError, type ClassErrorCode } from '../protocol/class.ts';
import type { ProtocolError, ProtocolErrorCode } from '../protocol/events.ts';

export const PROTOCOL_ERROR_MESSAGES: Record<ProtocolErrorCode, LocalizedText> = {
  BAD_PAYLOAD: {
    en: 'The message was not understood: its shape is wrong.',
    zh: '无法识别这条消息：格式不正确。',
  },
  UNKNOWN_ROOM: {
    en: 'There is no room with this code. Check the code, or create a new room.',
    zh: '没有这个房间号的房间。请检查房间号，或新建一个房间。',
  },
  ROOM_FULL: {
    en: 'Both ends of this connection are taken. You can watch instead.',
    zh: '这条连接的两端都已有人。你可以改为观战。',
  },
  ROOM_LOCKED: {
    en: 'This room is closing and takes no one new.',
    zh: '这个房间正在关闭，不再接受新成员。',
  },
  NOT_SEATED: {
    en: 'You do not hold a seat in this room.',
    zh: '你在这个房间里没有座位。',
  },
  BAD_SEAT_TOKEN: {
    en: 'This seat token is not valid for this room. Join again without it.',
    zh: '这个座位凭证对本房间无效。请不带凭证重新加入。',
  },
  STALE_VERSION: {
    en: 'The game moved on before your move arrived. The board has been brought up to date: look and play again.',
    zh: '你的操作到达之前，对局已经前进了。棋盘已更新，请查看后重新出牌。',
  },
  RATE_LIMITED: {
    en: 'Too many messages too quickly. Wait a moment and try again.',
    zh: '消息发送得太快了。请稍等片刻再试。',
  },
  REFUSED: {
    en: 'The referee refused this card.',
    zh: '裁判拒绝了这张牌。',
  },
  GAME_OVER: {
    en: 'This round is over. Start a rematch to play again.',
    zh: '本局已经结束。发起再来一局即可继续。',
  },
  NOT_STARTED: {
    en: 'The game has not started yet: the other end is still empty.',
    zh: '对局尚未开始：另一端还没有人。',
  },
  NOT_FINISHED: {
    en: 'This round is still being played: a rematch can start when it is over.',
    zh: '本局还在进行中：结束后才能再来一局。',
  },
  NOT_SAVED: {
    en: 'The server could not save this change (its disk is full or failing), so nothing changed. Try again in a moment.',
    zh: '服务器没能保存这次改动（磁盘已满或出错），所以什么都没有改变。请稍后再试。',
  },
  NOT_ANSWERED: {
    en: 'The server running this game changed while your request was on its way, and no answer came back. Look at the board: if your move is not there, make it again.',
    zh: '你的请求发出途中，负责这局游戏的服务器换了，没有收到应答。请看一下棋盘：如果你的操作不在上面，请再做一次。',
  },
  INTERNAL: {
    en: 'Something went wrong on the server. Your game is safe; try again.',
    zh: '服务器出了点问题。你的对局没有受影响，请重试。',
  },
  SERVER_FULL: {
    en: 'The server is full right now: no new room can be opened. Try again in a few minutes.',
    zh: '服务器当前已满，无法再新建房间。请过几分钟再试。',
  },
};

/** The connect_error of a socket refused by the per-address connection limit (its message is the English text). */
export const CONNECTION_LIMITED: { code: 'RATE_LIMITED'; message: LocalizedText } = {
  code: 'RATE_LIMITED',
  message: {
    en: 'Too many connections from this address: wait a few seconds and try again.',
    zh: '来自这个地址的连接太多了。请等几秒钟再试。',
  },
};

/** A ProtocolError with its message in both languages; `extra` adds the refusal or the current version. */
export function protocolError(
  code: ProtocolErrorCode,
  extra: { refusal?: Refusal; version?: number } = {},
): ProtocolError {
  const error: ProtocolError = { code, message: PROTOCOL_ERROR_MESSAGES[code] };
  if (extra.refusal) {
    error.refusal = extra.refusal;
    // a refusal's own explanation says more than "refused": lead with it
    error.message = {
      en: `${PROTOCOL_ERROR_MESSAGES.REFUSED.en} ${extra.refusal.explanation.en}`,
      zh: `${PROTOCOL_ERROR_MESSAGES.REFUSED.zh}${extra.refusal.explanation.zh}`,
    };
  }
  if (extra.version !== undefined) error.version = extra.version;
  return error;
}

// ---------------------------------------------------------------- classes and workshops (shared/protocol/class.ts)

export const CLASS_ERROR_MESSAGES: Record<ClassErrorCode, LocalizedText> = {
  UNKNOWN_SESSION: {
    en: 'There is no class or workshop with this code. Check the code on the projector.',
    zh: '没有这个代码的课堂或工作坊。请核对投影上的代码。',
  },
  BAD_HOST_KEY: {
    en: 'This host key is not valid for this session: only the host who started it can run it.',
    zh: '这个主持人密钥对本场无效：只有开场的主持人才能控制它。',
  },
  BAD_PLAYER_TOKEN: {
    en: 'This player token is not valid here (you may have been removed). Join again with a nickname.',
    zh: '这个玩家凭证在本场无效（你可能已被移出）。请用昵称重新加入。',
  },
  NICKNAME_TAKEN: {
    en: 'Someone in this session already uses this nickname. Choose another one.',
    zh: '本场已经有人使用这个昵称了。请换一个。',
  },
  SESSION_LOCKED: {
    en: 'The host has locked this session: nobody new can join.',
    zh: '主持人已锁定本场：不能再加入新成员。',
  },
  SESSION_FULL: {
    en: 'This session is full.',
    zh: '本场人数已满。',
  },
  SESSION_ENDED: {
    en: 'This session has ended.',
    zh: '本场已经结束。',
  },
  NOT_HOST: {
    en: 'Only the host can do this.',
    zh: '只有主持人可以这样做。',
  },
  NOT_IN_SESSION: {
    en: 'You are not part of this session. Join it first.',
    zh: '你不在本场中。请先加入。',
  },
  UNKNOWN_PLAYER: {
    en: 'There is no such player in this session.',
    zh: '本场没有这位玩家。',
  },
  ROUND_RUNNING: {
    en: 'A round is being played: stop it first.',
    zh: '一轮正在进行中：请先结束它。',
  },
  NO_ROUND: {
    en: 'No round is being played.',
    zh: '当前没有进行中的一轮。',
  },
  NOT_ENOUGH_PLAYERS: {
    en: 'A round needs at least one connected player.',
    zh: '开始一轮至少需要一位在线玩家。',
  },
  TOO_MANY_ROUNDS: {
    en: `This session has played its ${MAX_SESSION_ROUNDS} rounds, the most one session can have. End it and start a new session to play on.`,
    zh: `本场已经进行了 ${MAX_SESSION_ROUNDS} 轮，这是一场的上限。请结束本场，再开一场继续。`,
  },
  SERVER_FULL: {
    en: 'The server is full right now: no new class or workshop can be opened. Try again in a few minutes.',
    zh: '服务器当前已满，无法再开新的课堂或工作坊。请过几分钟再试。',
  },
};

/** The results download (GET /c/CODE/results.csv) when the node that runs the session did not answer or could not save. */
export const RESULTS_UNAVAILABLE: LocalizedText = {
  en: 'The results could not be fetched just now (the server running this class is changing). Try the download again in a moment.',
  zh: '暂时无法取得成绩（负责这个课堂的服务器正在切换）。请稍后再下载一次。',
};

/** A session's error, with its message in both languages; BAD_PAYLOAD, RATE_LIMITED and INTERNAL are the protocol's. */
export function classError(code: ClassError['code']): ClassError {
  const message =
    code === 'BAD_PAYLOAD' || code === 'RATE_LIMITED' || code === 'INTERNAL' || code === 'NOT_SAVED' || code === 'NOT_ANSWERED'
      ? PROTOCOL_ERROR_MESSAGES[code]
      : CLASS_ERROR_MESSAGES[code];
  return { code, message };
}
