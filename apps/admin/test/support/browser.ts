import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { ADMIN_ROOT } from './admin-build.js';

export const CHROMIUM_PATH = process.env.METASPO_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(ADMIN_ROOT, 'test-results');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Saves a full-page screenshot for a reviewer (test-results/ is gitignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

export interface PageWatch {
  errors: string[];
  dialogs: string[];
  /** Console messages about the Content Security Policy (a blocked script or style). */
  cspViolations: string[];
}

/** Page errors and dialogs: an escaped `<script>` would show up here, so the tests assert none happened. */
export function watchPage(page: Page): PageWatch {
  const seen: PageWatch = { errors: [], dialogs: [], cspViolations: [] };
  page.on('pageerror', (error) => seen.errors.push(error.message));
  page.on('dialog', (dialog) => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.cspViolations.push(message.text());
  });
  return seen;
}

export interface BrowserSessionOptions {
  viewport?: { width: number; height: number };
  acceptDownloads?: boolean;
  /** 'test' (the default): a fresh page per test; 'file': one page for the whole file (a login that must persist). */
  pagePer?: 'test' | 'file';
  /** Fails a test whose page threw (checked after each test). */
  failOnPageErrors?: boolean;
}

export interface BrowserSession {
  readonly browser: Browser;
  readonly page: Page;
  readonly seen: PageWatch;
}

/**
 * Registers the hooks every browser test file needs: one chromium for the file, a page (per test
 * or per file) watched for errors and dialogs, all closed afterwards. Read `page` inside tests.
 */
export function useBrowser(options: BrowserSessionOptions = {}): BrowserSession {
  const contextOptions: BrowserContextOptions = {
    viewport: options.viewport ?? { width: 1280, height: 800 },
    ...(options.acceptDownloads ? { acceptDownloads: true } : {}),
  };
  let browser: Browser | undefined;
  let page: Page | undefined;
  let seen: PageWatch | undefined;
  const openPage = async () => {
    if (!browser) throw new Error('chromium did not start');
    page = await browser.newPage(contextOptions);
    seen = watchPage(page);
  };
  const checkAndClose = async () => {
    if (options.failOnPageErrors) expect(seen?.errors).toEqual([]);
    await page?.close();
  };
  beforeAll(async () => {
    browser = await launchChromium();
    if (options.pagePer === 'file') await openPage();
  }, 60_000);
  if (options.pagePer !== 'file') {
    beforeEach(openPage);
    afterEach(checkAndClose);
  }
  afterAll(async () => {
    if (options.pagePer === 'file') await checkAndClose();
    await browser?.close();
  });
  const required = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is only there inside a test`);
    return value;
  };
  return {
    get browser() {
      return required(browser, 'the browser');
    },
    get page() {
      return required(page, 'the page');
    },
    get seen() {
      return required(seen, 'the page watch');
    },
  };
}
