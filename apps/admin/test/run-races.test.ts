import type { Race, RunConfigInput, RunRecord } from '@metaspo/schemas';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, useBrowser } from './support/browser.js';
import {
  rateLimitedSim,
  runToEnd,
  smallConfig,
  startPlatform,
  TASKS,
  type TestPlatform,
  waitForRunEnd,
} from './support/platform.js';

/** configs/quick.yaml's shape with a train sample large enough for two rounds, both loops racing. */
const racingConfig = (): RunConfigInput =>
  smallConfig({
    metaTrainTasks: TASKS.slice(0, 2),
    numUserCandidates: 3,
    userTopK: 3,
    trainSize: 20,
    concurrency: 32,
    selection: 'racing',
    userSelection: 'racing',
  });

/** Candidates evaluated per round, then those left after the last round's drops (the test's own count). */
const expectedAlive = (race: Race) => {
  const last = race.rounds.at(-1);
  const finished = last ? last.evaluated.length - last.dropped.length : 0;
  return `${[...race.rounds.map((r) => r.evaluated.length), finished].join(' -> ')} finished`;
};

const racesPanel = (page: Page) => page.locator('section[aria-labelledby="races-title"]');

/** Rounds the page has rendered (closed `<details>` keep their content in the DOM). */
const shownRounds = (page: Page) => page.locator('[data-testid="race-round"]').count();

describe('racing runs on the run page in chromium', () => {
  const session = useBrowser({ failOnPageErrors: true });
  let platform: TestPlatform;
  let racing: RunRecord;
  let plain: RunRecord;
  let races: Race[];

  beforeAll(async () => {
    platform = await startPlatform();
    [racing, plain] = await Promise.all([
      runToEnd(platform.client, 'racing run', racingConfig()),
      runToEnd(platform.client, 'full selection run', smallConfig({ iterations: 1, trainSize: 8 })),
    ]);
    races = await platform.client.optimizer.runs.races.query({ id: racing.id });
  }, 240_000);

  afterAll(async () => {
    await platform?.close();
  });

  it('ran races in both loops, some of which dropped a candidate', () => {
    expect(racing.status).toBe('completed');
    expect(races.map((r) => r.scope)).toEqual(
      expect.arrayContaining(['i1/outer', 'i2/outer', `i1/inner/${TASKS[0]}`, `i1/inner/${TASKS[1]}`]),
    );
    expect(races.some((race) => race.rounds.some((round) => round.dropped.length > 0))).toBe(true);
  });

  it('shows every race with its candidates per round, prefix sizes and requests', async () => {
    const { page } = session;
    await page.goto(`${platform.url}/#/runs/${racing.id}`);
    const panel = racesPanel(page);
    await panel.locator('[data-testid="race"]').first().waitFor();
    expect(
      await panel.locator('[data-testid="race"]').evaluateAll((els) => els.map((el) => el.dataset.scope)),
    ).toEqual(races.map((race) => race.scope));
    for (const race of races) {
      const item = panel.locator(`[data-testid="race"][data-scope="${race.scope}"]`);
      expect(await item.getByTestId('race-alive').textContent()).toBe(expectedAlive(race));
      expect(await item.getByTestId('race-sizes').textContent()).toBe(
        race.rounds.map((r) => r.size).join(', '),
      );
      const sent = race.rounds.reduce((n, r) => n + r.requests, 0);
      expect(await item.locator('summary').textContent()).toContain(
        `${sent.toLocaleString('en-US')} requests in rounds`,
      );
    }
    expect(await page.getByTestId('racing-upper-bound').count()).toBe(1);
    const headings = await panel.locator('h3').allTextContents();
    expect(headings).toEqual(['Iteration 1', 'Iteration 2']);
    const total = races.reduce((n, race) => n + race.rounds.reduce((m, r) => m + r.requests, 0), 0);
    expect(await panel.getByTestId('races-total').textContent()).toContain(
      `their rounds sent ${total.toLocaleString('en-US')} base requests`,
    );
  });

  it('opens a race into its rounds, marking leaders and exactly the dropped candidates', async () => {
    const { page } = session;
    await page.goto(`${platform.url}/#/runs/${racing.id}`);
    const withDrops = races.filter((race) => race.rounds.some((round) => round.dropped.length > 0));
    for (const race of withDrops) {
      const item = racesPanel(page).locator(`[data-testid="race"][data-scope="${race.scope}"]`);
      await item.locator('summary').click();
      for (const round of race.rounds) {
        const table = item.locator(`[data-testid="race-round"][data-round="${round.round}"]`);
        await table.waitFor({ state: 'visible' });
        const leaders = new Set(round.leaders ?? [round.leader]);
        for (const entrant of round.entrants) {
          const row = table.locator(`tr[data-contestant="${entrant.id}"]`);
          const outcome = (await row.locator('td').last().textContent()) ?? '';
          expect(outcome.includes('dropped'), `${race.scope} r${round.round} #${entrant.id}`).toBe(
            round.dropped.includes(entrant.id),
          );
          expect(outcome.includes('leader')).toBe(leaders.has(entrant.id));
          expect((await row.getAttribute('class')) === 'dropped').toBe(round.dropped.includes(entrant.id));
        }
        expect(await table.locator('tbody tr').count()).toBe(round.entrants.length);
      }
    }
    // The contestants scored in full are named for what they are.
    const outer = racesPanel(page).locator('[data-testid="race"][data-scope="i1/outer"]');
    expect(await outer.locator('tr[data-contestant="-1"] td').first().textContent()).toBe('current');
    const inner = racesPanel(page).locator(`[data-testid="race"][data-scope="i2/inner/${TASKS[0]}"]`);
    await inner.locator('summary').click();
    expect(await inner.locator('tr[data-contestant="-1"] td').first().textContent()).toBe('kept 1');
    await screenshot(page, 'run-races');
  });

  it("lists a finished run's requests per phase from its export, summing to the run's counts", async () => {
    const { page } = session;
    const exported = await platform.client.optimizer.runs.export.query({ id: racing.id });
    const phases = exported.callsByPhase ?? [];
    expect(phases.map((p) => p.phase)).toEqual(expect.arrayContaining(['initial', 'inner', 'outer']));
    await page.goto(`${platform.url}/#/runs/${racing.id}`);
    const details = page.getByTestId('requests-by-phase');
    await details.locator('summary').click();
    const cells = (phase: string) => details.locator(`tr[data-phase="${phase}"] td`).allTextContents();
    await details.locator('tr[data-phase="outer"]').waitFor();
    for (const row of phases) {
      expect(await cells(row.phase)).toEqual(
        [row.phase, row.baseTrain, row.baseTest, row.optimizer, row.optimizerRetries, row.cached].map((v) =>
          v.toLocaleString('en-US'),
        ),
      );
    }
    const shownTrain = (await details.locator('tbody tr td:nth-child(2)').allTextContents()).map((t) =>
      Number(t.replace(/,/g, '')),
    );
    expect(shownTrain.reduce((a, b) => a + b, 0)).toBe(racing.result?.calls.baseTrain);
    await screenshot(page, 'run-requests-by-phase');
  });

  it('shows no races section for a run that does not race', async () => {
    const { page } = session;
    await page.goto(`${platform.url}/#/runs/${plain.id}`);
    await page.getByRole('heading', { name: /Dropped candidates/ }).waitFor();
    await page.getByRole('heading', { name: 'User prompt lineage per task' }).waitFor();
    expect(await racesPanel(page).count()).toBe(0);
    expect(await page.getByTestId('racing-upper-bound').count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Races' }).count()).toBe(0);
  });

  it('adds rounds to the section while the run races, without a reload', async () => {
    // A burst of 150 calls, then 2.5 a second: the run is still racing minutes later.
    const slow = await startPlatform({ config: rateLimitedSim(150) });
    try {
      const created = await slow.client.optimizer.runs.create.mutate({
        config: { ...racingConfig(), iterations: 1 },
        name: 'live racing run',
      });
      // The page is open before the run starts, so every round it shows arrived while it watched.
      const { page } = session;
      await page.goto(`${slow.url}/#/runs/${created.id}`);
      await racesPanel(page).getByText('No race has run yet.').waitFor();
      await slow.client.optimizer.runs.start.mutate({ id: created.id });
      await expect.poll(() => shownRounds(page), { timeout: 45_000, interval: 500 }).toBeGreaterThan(0);
      // What the page shows catches up with the server's rounds as they are recorded.
      await expect
        .poll(
          async () => {
            const stored = await slow.client.optimizer.runs.races.query({ id: created.id });
            return (await shownRounds(page)) - stored.reduce((n, race) => n + race.rounds.length, 0);
          },
          { timeout: 10_000, interval: 500 },
        )
        .toBe(0);
      expect((await slow.client.optimizer.runs.get.query({ id: created.id })).status).toBe('running');
      await slow.client.optimizer.runs.cancel.mutate({ id: created.id });
      await waitForRunEnd(slow.client, created.id);
    } finally {
      await slow.close();
    }
  }, 90_000);
});
