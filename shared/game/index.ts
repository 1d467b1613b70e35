// The game layer's public face: what the server and the client import.
export { newGame, judgeCard, playCard, fireTimer, hintFor, takeHint, answerQuiz, TIMER_DELAYS_MS } from './game.ts';
export { botCard, applyMistake, type BotMistake } from './bot.ts';
export { gameView } from './view.ts';
export { MISSIONS, nextMissionCall, isQuiet, type Mission, type GoalId } from './missions.ts';
export { parseCard, segmentCard } from './referee.ts';
export * from './types.ts';
