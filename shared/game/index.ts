// The game layer's public face: what the server and the client import.
export { newGame, replayGame, judgeCard, playCard, fireTimer, hintFor, takeHint, answerQuiz, TIMER_DELAYS_MS, RTO_INITIAL_MS, RTO_MAX_MS, backedOff, timerDurationMs } from './game.ts';
export { botCard, applyMistake, type BotMistake } from './bot.ts';
export { gameView } from './view.ts';
export { MISSIONS, LEVELS, missionOf, nextMissionCall, isQuiet, type Mission, type GoalId } from './missions.ts';
export { loadLevel, LEVEL_FORMAT, type Level, type LevelFile } from '../levels/format.ts';
export { parseCard, segmentCard } from './referee.ts';
export { CARD_LIMITS } from './limits.ts';
export * from './types.ts';
