// Hard mode: a wrong card is delivered anyway. The Referee must not call it accepted: it says the referee refused
// it and why (the rule, the right card), that it was sent anyway, and what the other end's TCP does about it.
// Alike, a legal call that leaves the mission out of reach is accepted with a word of warning.
import { describe, expect, it } from 'vitest';
import { t } from '../../shared/i18n/index.ts';
import { buildSegment, newPlayer, playSegment, shot, useServerAndBrowser, waitForState } from './helpers.ts';

const setup = useServerAndBrowser();

describe('hard mode', () => {
  it('explains a wrong card that was sent anyway, and what the peer does about it', async () => {
    const errors: string[] = [];
    const { context, page } = await newPlayer(setup.browser, errors);
    await page.goto(setup.server.url);
    await page.getByLabel('Difficulty').selectOption('hard');
    await page.getByLabel('Mission').selectOption('open');
    await page.getByRole('button', { name: 'Play against the bot' }).click();
    await waitForState(page, 'Server', 'LISTEN');
    await page.getByRole('button', { name: 'Connect' }).click();
    await buildSegment(page, { flags: ['SYN'], seq: 100 });
    await playSegment(page);
    await waitForState(page, 'Client', 'ESTABLISHED');

    // the third segment of the handshake acknowledges 300 instead of the server's SYN (301): in SYN-RECEIVED an
    // ACK that acknowledges nothing the server sent is answered with a RST (RFC 9293 §3.10.7.4)
    await buildSegment(page, { flags: ['ACK'], seq: 101, ack: 300 });
    await playSegment(page);
    const referee = page.getByRole('region', { name: 'Referee' });
    await referee.getByText(t('en', 'explain.sentAnyway', { title: '' })).waitFor({ timeout: 5000 });
    const text = (await referee.textContent()) ?? '';
    expect(text).not.toContain(t('en', 'explain.accepted'));
    expect(text).toMatch(/301/); // why: the number it had to be
    expect(text).toMatch(/RFC 9293 §/); // the rule
    expect(text).toContain('Correct card: ACK seq=101 ack=301');
    expect(text).toContain(t('en', 'explain.sentAnywayNote'));
    expect(text).toContain(t('en', 'explain.peer.rst', { peer: 'server' }));
    // said aloud too, at once
    expect(await page.locator('#alert').textContent()).toContain(t('en', 'explain.peer.rst', { peer: 'server' }));
    await referee.scrollIntoViewIfNeeded();
    await shot(page, 'hard-sent-anyway-en');
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('region', { name: t('zh-CN', 'explain.heading') }).getByText(t('zh-CN', 'explain.peer.rst', { peer: '服务器' })).waitFor();
    await shot(page, 'hard-sent-anyway-zh-CN');
    await context.close();
    expect(errors).toEqual([]);
  });

  it('says so when a legal call leads away from the mission (the server connects instead of listening)', async () => {
    const errors: string[] = [];
    const { context, page } = await newPlayer(setup.browser, errors);
    await page.goto(setup.server.url);
    await page.getByLabel('Mission').selectOption('open');
    await page.getByLabel('Your end').selectOption('B');
    await page.getByRole('button', { name: 'Play against the bot' }).click();
    await page.getByText('You are the Server', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Connect' }).click();
    const referee = page.getByRole('region', { name: 'Referee' });
    await referee.getByText(/Accepted, but: connect is legal TCP here/).waitFor({ timeout: 5000 });
    expect(await referee.textContent()).toContain('this round\'s mission cannot be reached from here any more');
    expect(await page.locator('#alert').textContent()).toContain('Accepted, but:');
    await context.close();
    expect(errors).toEqual([]);
  });
});
