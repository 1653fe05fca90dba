import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The `value` of the progress bar inside `[data-testid=testId]` (-1 while there is none). */
export function progressValue(page: Page, testId: string): Promise<number> {
  return page.evaluate(
    (id) => Number(document.querySelector(`[data-testid="${id}"] progress`)?.getAttribute('value') ?? -1),
    testId,
  );
}

/** Waits until that progress bar shows more done than `before`; returns the new value. */
export async function progressPast(
  page: Page,
  testId: string,
  before: number,
  timeout = 30_000,
): Promise<number> {
  await expect.poll(() => progressValue(page, testId), { timeout }).toBeGreaterThan(before);
  return progressValue(page, testId);
}

/**
 * Waits for the app to open a run's page (after "Create run") other than `leaving`, and returns
 * that run's id from the address.
 */
export async function openedRunId(page: Page, leaving?: string): Promise<string> {
  await page.waitForFunction(
    (previous) => {
      const match = /^#\/runs\/((?!new)[^/?]+)$/.exec(window.location.hash);
      return match !== null && match[1] !== previous;
    },
    leaving ?? null,
    { timeout: 20_000 },
  );
  return decodeURIComponent(page.url().split('#/runs/')[1] ?? '');
}

/** Waits for the app to open a meta-test (its id in the address's search) and returns that id. */
export async function openedMetaTestId(page: Page): Promise<string> {
  await page.waitForFunction(() => /[?&]id=mt_/.test(window.location.hash), undefined, { timeout: 20_000 });
  return new URLSearchParams(page.url().split('?')[1]).get('id') ?? '';
}
