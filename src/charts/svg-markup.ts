/** Writing SVG as text safely: every attribute value and text node goes through the same escaping. */

export type Attributes = Readonly<Record<string, string | number | undefined>>;

/**
 * Escapes text for an XML text node or a quoted attribute value, and drops the control characters
 * XML 1.0 cannot carry at all, so no label (org labels are user input) can break the document.
 */
export function escapeXml(value: string): string {
  return (
    value
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

/** `<name a="1">children</name>`, self-closing without children; undefined attributes are left out. */
export function element(name: string, attributes: Attributes, children: readonly string[] = []): string {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${typeof value === 'number' ? formatNumber(value) : escapeXml(value)}"`)
    .join('');
  return children.length === 0 ? `<${name}${attrs}/>` : `<${name}${attrs}>${children.join('')}</${name}>`;
}

/** A text element; `content` is plain text, escaped here. */
export function text(content: string, attributes: Attributes): string {
  return element('text', attributes, [escapeXml(content)]);
}

/** Numbers to two decimals: exact enough for pixels and cents, short in the markup. */
export function formatNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}
