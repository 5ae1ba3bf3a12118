/** A step's expectations: each says in words what should be true, and whether it was. */

export interface Check {
  expectation: string;
  passed: boolean;
  /** Why it failed, for the person reading the transcript. */
  detail?: string;
}

export function check(expectation: string, passed: boolean, detail?: string): Check {
  return passed || detail === undefined ? { expectation, passed } : { expectation, passed, detail };
}

/** `haystack` contains `needle`; on failure the detail quotes the start of what was there instead. */
export function contains(expectation: string, haystack: string | undefined, needle: string): Check {
  const found = haystack?.includes(needle) ?? false;
  return check(expectation, found, haystack === undefined ? 'nothing arrived' : `got: ${quote(haystack)}`);
}

export function lacks(expectation: string, haystack: string | undefined, needle: string): Check {
  const absent = haystack !== undefined && !haystack.includes(needle);
  return check(expectation, absent, haystack === undefined ? 'nothing arrived' : 'it is there');
}

export function failedChecks(checks: readonly Check[]): Check[] {
  return checks.filter((each) => !each.passed);
}

function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `"${flat.length > 160 ? `${flat.slice(0, 159)}…` : flat}"`;
}
