/**
 * `index.html`: every step of the demo as a page that looks roughly like Slack (messages with the app's
 * name, headers, sections, the two-column fields grid, buttons, modals, the Home tab), with one inline
 * stylesheet and no external assets: the only images are the PNGs the app shared, saved beside the page.
 * Every piece of text from a message is escaped; links only keep http(s) and mailto addresses.
 */
import type { Check } from './checks';
import { replaceEmojiCodes } from './emoji';
import { arrayField, field, stringField, textObject } from './json';
import { channelLabel, type Inline, type NameLookup, NO_NAMES, parseMrkdwn, userLabel } from './mrkdwn';
import type { SharedFile, Shown } from './shown';
import { formatSize, HOME_TAB_TITLE } from './transcript';

export interface HtmlStep {
  number: number;
  caption: string;
  shown: readonly Shown[];
  checks: readonly Check[];
}

export interface HtmlDocument {
  title: string;
  intro: string;
  steps: readonly HtmlStep[];
  summary: string;
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export function renderHtmlPreview(doc: HtmlDocument, names: NameLookup = NO_NAMES): string {
  const steps = doc.steps.map((step) => stepHtml(step, names)).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.title)}</title>
<style>${STYLESHEET}</style>
</head>
<body>
<header class="top"><h1>${escapeHtml(doc.title)}</h1><p>${escapeHtml(doc.intro)}</p><p class="summary">${escapeHtml(doc.summary)}</p></header>
<main>
${steps}
</main>
</body>
</html>
`;
}

function stepHtml(step: HtmlStep, names: NameLookup): string {
  const id = `step-${String(step.number).padStart(2, '0')}`;
  const items = step.shown.map((item) => shownHtml(item, names)).join('\n');
  const checks = step.checks
    .map(
      (each) =>
        `<li class="${each.passed ? 'pass' : 'fail'}">${each.passed ? '✓' : '✗'} ${escapeHtml(each.expectation)}${
          each.detail && !each.passed ? ` <span class="detail">(${escapeHtml(each.detail)})</span>` : ''
        }</li>`,
    )
    .join('');
  return `<section class="step" id="${id}">
<h2><a href="#${id}">${step.number}</a> ${escapeHtml(step.caption)}</h2>
${items}
<ul class="checks">${checks}</ul>
</section>`;
}

function shownHtml(item: Shown, names: NameLookup): string {
  const person = (id: string) => escapeHtml(names.user(id) ?? id);
  const where = (id: string) => escapeHtml(channelLabel({ id }, names));
  switch (item.kind) {
    case 'typed':
      return `<div class="event"><b>${person(item.user)}</b> in ${where(item.channel)} types <code class="typed">${escapeHtml(item.text)}</code></div>`;
    case 'pressed':
      return `<div class="event"><b>${person(item.user)}</b> in ${where(item.channel)} presses <span class="bk-button">${escapeHtml(item.label)}</span>${
        item.about ? ` ${escapeHtml(item.about)}` : ''
      }</div>`;
    case 'submitted':
      return `<div class="event"><b>${person(item.user)}</b> fills in the form and submits it:</div>\n${modalHtml(item.view, names, item.values)}`;
    case 'modal':
      return `<div class="event">A modal opens for <b>${person(item.user)}</b>:</div>\n${modalHtml(item.view, names)}`;
    case 'home':
      return `<div class="event"><b>${person(item.user)}</b> opens the app’s Home tab:</div>\n${homeTabHtml(item.view, names)}`;
    case 'message':
      return messageHtml(item, names);
    case 'note':
      return `<div class="note">${escapeHtml(replaceEmojiCodes(item.text))}</div>`;
  }
  return '';
}

function messageHtml(item: Extract<Shown, { kind: 'message' }>, names: NameLookup): string {
  const audience =
    item.visibility === 'ephemeral'
      ? `Only visible to ${escapeHtml(item.viewer ? (names.user(item.viewer) ?? item.viewer) : 'you')}`
      : `in ${escapeHtml(channelLabel({ id: item.channel }, names))}`;
  const blocks = arrayField(item.payload, 'blocks');
  const body =
    blocks.length > 0
      ? blocksHtml(blocks, names, {})
      : `<div class="bk-text">${mrkdwnHtml(stringField(item.payload, 'text') ?? '', names)}</div>`;
  const files = (item.files ?? []).map((file) => fileHtml(file, names)).join('');
  return `<div class="msg ${item.visibility}">
<div class="avatar" aria-hidden="true">V</div>
<div class="content"><div class="meta"><b>viam-billing</b> <span class="app">APP</span> <span class="audience">${audience}</span></div>
${body}${files}</div>
</div>`;
}

function fileHtml(file: SharedFile, names: NameLookup): string {
  const name = escapeHtml(file.filename);
  const link = file.savedAs ? `<a href="${escapeHtml(encodeURI(file.savedAs))}">${name}</a>` : name;
  const kind = fileKind(file.filename);
  // A chart is worth seeing, not just naming; it is a file the demo saved beside the page, never a remote one.
  const inline =
    kind === 'PNG' && file.savedAs
      ? `<img class="file-image" src="${escapeHtml(encodeURI(file.savedAs))}" alt="${escapeHtml(file.title)}">`
      : '';
  return `<div class="file"><span class="file-icon ${kind.toLowerCase()}">${kind}</span><div><div>${link}</div><div class="file-meta">${escapeHtml(
    formatSize(file.sizeBytes),
  )} · shared in ${escapeHtml(channelLabel({ id: file.channel }, names))}</div></div></div>${inline}`;
}

/** The label on a file's icon, as Slack shows its type: `PDF`, `PNG`, `CSV`; `FILE` when it has no extension. */
export function fileKind(filename: string): string {
  const extension = /\.([a-z0-9]{1,5})$/i.exec(filename)?.[1];
  return extension ? extension.toUpperCase() : 'FILE';
}

function modalHtml(view: unknown, names: NameLookup, values: Record<string, string> = {}): string {
  const title = textObject(field(view, 'title'))?.text ?? 'Modal';
  const close = textObject(field(view, 'close'))?.text;
  const submit = textObject(field(view, 'submit'))?.text;
  const buttons = [
    close ? `<span class="bk-button">${escapeHtml(close)}</span>` : '',
    submit ? `<span class="bk-button primary">${escapeHtml(submit)}</span>` : '',
  ].join('');
  return panelHtml('modal', title, blocksHtml(arrayField(view, 'blocks'), names, values), buttons);
}

/** A Home view has no title of its own (Slack names the tab after the app) and no buttons at its foot. */
function homeTabHtml(view: unknown, names: NameLookup): string {
  return panelHtml('modal home-tab', HOME_TAB_TITLE, blocksHtml(arrayField(view, 'blocks'), names, {}));
}

/** The frame modals and the Home tab share: a title bar, the blocks, and a modal's footer of buttons. */
function panelHtml(className: string, title: string, body: string, footerButtons?: string): string {
  const footer = footerButtons === undefined ? '' : `<div class="modal-footer">${footerButtons}</div>`;
  return `<div class="${className}"><div class="modal-title">${escapeHtml(replaceEmojiCodes(title))}</div><div class="modal-body">${body}</div>${footer}</div>`;
}

function blocksHtml(blocks: readonly unknown[], names: NameLookup, values: Record<string, string>): string {
  return blocks.map((block) => blockHtml(block, names, values)).join('\n');
}

function blockHtml(block: unknown, names: NameLookup, values: Record<string, string>): string {
  const type = stringField(block, 'type');
  switch (type) {
    case 'header':
      return `<div class="bk-header">${escapeHtml(replaceEmojiCodes(textObject(field(block, 'text'))?.text ?? ''))}</div>`;
    case 'section': {
      const text = textObject(field(block, 'text'));
      const fields = arrayField(block, 'fields')
        .map((each) => textObject(each))
        .filter((each) => each !== undefined)
        .map((each) => `<div class="bk-field">${textHtml(each, names)}</div>`)
        .join('');
      const accessory = field(block, 'accessory');
      return `<div class="bk-section"><div class="bk-main">${text ? `<div class="bk-text">${textHtml(text, names)}</div>` : ''}${
        fields ? `<div class="bk-fields">${fields}</div>` : ''
      }</div>${accessory === undefined ? '' : `<div class="bk-accessory">${elementHtml(accessory)}</div>`}</div>`;
    }
    case 'divider':
      return '<hr class="bk-divider">';
    case 'context':
      return `<div class="bk-context">${arrayField(block, 'elements')
        .map((element) =>
          stringField(element, 'type') === 'image'
            ? imageHtml(element)
            : `<span>${textHtml(textObject(element) ?? { type: 'plain_text', text: '' }, names)}</span>`,
        )
        .join('')}</div>`;
    case 'actions':
      return `<div class="bk-actions">${arrayField(block, 'elements').map(elementHtml).join('')}</div>`;
    case 'image':
      return `<div class="bk-image">${imageHtml(block)}</div>`;
    case 'input':
      return inputHtml(block, values);
    default:
      return `<div class="bk-unknown">[${escapeHtml(type ?? 'unknown')} block]</div>`;
  }
}

function inputHtml(block: unknown, values: Record<string, string>): string {
  const label = escapeHtml(textObject(field(block, 'label'))?.text ?? '');
  const optional = field(block, 'optional') === true ? ' <span class="optional">(optional)</span>' : '';
  const blockId = stringField(block, 'block_id');
  const typed = blockId === undefined ? undefined : values[blockId];
  const placeholder = textObject(field(field(block, 'element'), 'placeholder'))?.text ?? '';
  const box =
    typed !== undefined
      ? `<span class="bk-box filled">${escapeHtml(typed)}</span>`
      : `<span class="bk-box">${escapeHtml(placeholder)}</span>`;
  const hint = textObject(field(block, 'hint'));
  return `<div class="bk-input"><div class="bk-label">${label}${optional}</div>${box}${
    hint ? `<div class="bk-hint">${escapeHtml(hint.text)}</div>` : ''
  }</div>`;
}

function elementHtml(element: unknown): string {
  const type = stringField(element, 'type');
  if (type === 'button') {
    const style = stringField(element, 'style');
    const look = style === 'primary' || style === 'danger' ? ` ${style}` : '';
    return `<span class="bk-button${look}">${escapeHtml(replaceEmojiCodes(textObject(field(element, 'text'))?.text ?? ''))}</span>`;
  }
  if (type === 'image') return imageHtml(element);
  const placeholder = textObject(field(element, 'placeholder'))?.text;
  return `<span class="bk-button">${escapeHtml(placeholder ?? type ?? 'element')}</span>`;
}

/** No image is loaded (no external assets): the alt text stands in for it. */
function imageHtml(image: unknown): string {
  return `<span class="bk-img">[image: ${escapeHtml(stringField(image, 'alt_text') ?? 'no description')}]</span>`;
}

function textHtml(text: { type: 'plain_text' | 'mrkdwn'; text: string }, names: NameLookup): string {
  return text.type === 'mrkdwn'
    ? mrkdwnHtml(text.text, names)
    : escapeHtml(replaceEmojiCodes(text.text)).replaceAll('\n', '<br>');
}

export function mrkdwnHtml(source: string, names: NameLookup): string {
  return inlineHtml(parseMrkdwn(source), names);
}

function inlineHtml(nodes: readonly Inline[], names: NameLookup): string {
  return nodes
    .map((node) => {
      switch (node.kind) {
        case 'text':
          return escapeHtml(node.text).replaceAll('\n', '<br>');
        case 'bold':
          return `<strong>${inlineHtml(node.children, names)}</strong>`;
        case 'italic':
          return `<em>${inlineHtml(node.children, names)}</em>`;
        case 'strike':
          return `<s>${inlineHtml(node.children, names)}</s>`;
        case 'code':
          return `<code>${escapeHtml(node.text)}</code>`;
        case 'preformatted':
          return `<pre>${escapeHtml(node.text)}</pre>`;
        case 'link': {
          const label = escapeHtml(node.label ?? node.url);
          return /^(https?:|mailto:)/i.test(node.url)
            ? `<a href="${escapeHtml(node.url)}" rel="noopener noreferrer">${label}</a>`
            : label;
        }
        case 'user':
          return `<span class="mention">${escapeHtml(userLabel(node, names))}</span>`;
        case 'channel':
          return `<span class="mention">${escapeHtml(channelLabel(node, names))}</span>`;
        case 'special':
          return `<span class="mention">${escapeHtml(node.text)}</span>`;
      }
      return '';
    })
    .join('');
}

const STYLESHEET = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.46668 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d1c1d;background:#f8f8f8}
.top{background:#3f0e40;color:#fff;padding:20px 32px}
.top h1{margin:0 0 4px;font-size:22px}
.top p{margin:4px 0;opacity:.9}
main{max-width:860px;margin:0 auto;padding:16px}
.step{background:#fff;border:1px solid #ddd;border-radius:8px;margin:16px 0;padding:12px 20px}
.step h2{font-size:16px;margin:4px 0 12px}
.step h2 a{display:inline-block;min-width:28px;padding:0 6px;margin-right:6px;border-radius:14px;background:#3f0e40;color:#fff;text-align:center;text-decoration:none}
.event{color:#616061;margin:8px 0}
.event b{color:#1d1c1d}
code{font:12px Monaco,Menlo,Consolas,monospace;color:#c01343;background:#f6f6f6;border:1px solid #e8e8e8;border-radius:3px;padding:1px 3px}
code.typed{color:#1264a3;font-size:13px}
pre{font:12px Monaco,Menlo,Consolas,monospace;background:#f6f6f6;border:1px solid #e8e8e8;border-radius:4px;padding:8px;white-space:pre-wrap}
.msg{display:flex;gap:8px;padding:8px 4px;margin:8px 0;border-radius:6px}
.msg.ephemeral{background:#f4f8fb}
.avatar{flex:none;width:36px;height:36px;border-radius:6px;background:#1f2937;color:#fff;font-weight:700;display:flex;align-items:center;justify-content:center}
.content{flex:1;min-width:0}
.meta{margin-bottom:2px}
.app{font-size:10px;font-weight:700;color:#616061;background:#e8e8e8;border-radius:2px;padding:1px 3px}
.audience{color:#616061;font-size:12px}
.bk-header{font-size:18px;font-weight:900;margin:6px 0}
.bk-section{display:flex;gap:12px;margin:6px 0}
.bk-main{flex:1;min-width:0}
.bk-fields{display:grid;grid-template-columns:1fr 1fr;gap:8px 16px;margin-top:4px}
.bk-accessory{flex:none}
.bk-divider{border:0;border-top:1px solid #ddd;margin:10px 0}
.bk-context{color:#616061;font-size:13px;margin:6px 0;display:flex;flex-wrap:wrap;gap:8px}
.bk-actions{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.bk-button{display:inline-block;border:1px solid #bbb;border-radius:4px;padding:2px 12px;font-size:13px;font-weight:700;background:#fff;white-space:nowrap}
.bk-button.primary{background:#007a5a;border-color:#007a5a;color:#fff}
.bk-button.danger{background:#e01e5a;border-color:#e01e5a;color:#fff}
.bk-img{display:inline-block;color:#616061;font-style:italic;border:1px dashed #bbb;border-radius:4px;padding:2px 6px}
.bk-unknown{color:#616061;font-style:italic}
.mention{color:#1264a3;background:#e8f5fa;border-radius:3px;padding:0 2px}
a{color:#1264a3}
.file{display:flex;gap:10px;align-items:center;border:1px solid #ddd;border-radius:8px;padding:8px 12px;margin:6px 0;max-width:480px}
.file-icon{background:#616061;color:#fff;font-size:11px;font-weight:700;border-radius:4px;padding:8px 6px;min-width:36px;text-align:center}
.file-icon.pdf{background:#e01e5a}
.file-icon.png{background:#2eb67d}
.file-icon.csv{background:#1264a3}
.file-image{display:block;max-width:100%;border:1px solid #ddd;border-radius:8px;margin:4px 0 8px}
.file-meta{color:#616061;font-size:12px}
.modal{border:1px solid #ccc;border-radius:8px;max-width:520px;margin:8px 0;box-shadow:0 4px 12px rgba(0,0,0,.12);background:#fff}
.modal.home-tab{max-width:680px}
.modal-title{font-weight:900;font-size:18px;padding:14px 20px;border-bottom:1px solid #ddd}
.modal-body{padding:8px 20px}
.modal-footer{display:flex;justify-content:flex-end;gap:8px;padding:12px 20px;border-top:1px solid #ddd}
.bk-input{margin:12px 0}
.bk-label{font-weight:700}
.optional{font-weight:400;color:#616061}
.bk-box{display:block;border:1px solid #bbb;border-radius:4px;padding:6px 10px;margin:4px 0;color:#999;min-height:34px}
.bk-box.filled{color:#1d1c1d}
.bk-hint{color:#616061;font-size:13px}
.note{margin:8px 0;padding:6px 10px;border-left:3px solid #ecb22e;background:#fdf8ea}
.checks{list-style:none;padding:0;margin:10px 0 4px;font-size:13px}
.checks .pass{color:#007a5a}
.checks .fail{color:#e01e5a;font-weight:700}
.detail{color:#616061;font-weight:400}
`;
