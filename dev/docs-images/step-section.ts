/**
 * Finds a tour step's `<section class="step">` in the preview by its slug. The preview numbers its
 * sections in the order the demo ran them, so the demo's report (slug by slug, in that order) says which
 * one it is; the sections' ids are left to the preview.
 */
import type { Locator, Page } from 'playwright-core';

export class MissingStepError extends Error {}

export function stepSection(page: Page, steps: readonly { slug: string }[], slug: string): Locator {
  const index = steps.findIndex((step) => step.slug === slug);
  if (index < 0) {
    throw new MissingStepError(
      `The demo has no step "${slug}"; its steps are: ${steps.map((step) => step.slug).join(', ')}.`,
    );
  }
  return page.locator('section.step').nth(index);
}
