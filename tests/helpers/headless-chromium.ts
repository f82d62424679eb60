import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`.ci/run` installs it). */
const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless, sandbox-free (root in CI), and silent on the network beyond loopback. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches the page tests' headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
}
