/*
 * markdown.js: a small, safe Markdown renderer for model answers.
 *
 * Safety: the output is built exclusively with createElement / createTextNode / textContent and a fixed set of
 * attribute names. No string is ever parsed as HTML, so `<img src=x onerror=...>` or `<script>` in model text shows
 * up as literal text. Links get an href only when it parses as an absolute http(s) URL, and always open with
 * target=_blank rel="noopener noreferrer".
 *
 * Supported: paragraphs (a single newline is a line break), ATX headings, fenced code blocks (``` or ~~~, with a
 * Copy button), bullet and ordered lists (nested by indentation), block quotes, horizontal rules, GFM pipe tables,
 * **bold**, *italic*, ~~strike~~, `inline code`, [links](https://...), <https://...> and bare http(s) URLs, and
 * backslash escapes.
 *
 * renderMarkdown(container, text) is incremental: blocks whose source did not change since the last call are kept,
 * so re-rendering a streaming answer on every delta only rebuilds the block that is still growing.
 */

import { makeCopyButton } from './clipboard.js';

const MAX_DEPTH = 12;

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})[ \t]*([^\s`]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const QUOTE = /^ {0,3}> ?/;
const ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])(?:([ \t]+)(.*))?$/;
const TABLE_DELIMITER = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const BLANK = /^[ \t]*$/;
const PUNCTUATION = /[!-/:-@[-`{-~]/;

// ---- blocks --------------------------------------------------------------------------------------------------------

/** Splits Markdown text into block descriptors; each has `type` and `source` (its raw lines). */
export function parseBlocks(text, depth = 0) {
  const lines = String(text).replace(/\r\n?/g, '\n').split('\n');
  const blocks = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (BLANK.test(line)) {
      i++;
      continue;
    }
    const start = i;
    let block;
    if (FENCE_OPEN.test(line)) {
      [block, i] = fencedCode(lines, i);
    } else if (HEADING.test(line)) {
      const m = HEADING.exec(line);
      block = { type: 'heading', level: m[1].length, text: (m[2] || '').trim() };
      i++;
    } else if (RULE.test(line)) {
      block = { type: 'rule' };
      i++;
    } else if (QUOTE.test(line) && depth < MAX_DEPTH) {
      const inner = [];
      while (i < lines.length && QUOTE.test(lines[i])) inner.push(lines[i++].replace(QUOTE, ''));
      block = { type: 'quote', children: parseBlocks(inner.join('\n'), depth + 1) };
    } else if (isListItem(line) && depth < MAX_DEPTH) {
      [block, i] = list(lines, i, depth);
    } else if (isTableStart(lines, i)) {
      [block, i] = table(lines, i);
    } else {
      const text = [];
      while (i < lines.length && !BLANK.test(lines[i]) && (i === start || !interruptsParagraph(lines, i))) {
        text.push(lines[i++].trim());
      }
      block = { type: 'paragraph', text: text.join('\n') };
    }
    block.source = lines.slice(start, i).join('\n');
    blocks.push(block);
  }
  return blocks;
}

function interruptsParagraph(lines, i) {
  const line = lines[i];
  return FENCE_OPEN.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || isListItem(line)
    || isTableStart(lines, i);
}

function isListItem(line) {
  const m = ITEM.exec(line);
  // "-" alone is a list item only when followed by text; "1." followed by nothing is not an item either.
  return Boolean(m && m[4] !== undefined && m[4].trim() !== '');
}

function fencedCode(lines, i) {
  const [, indent, fence, info] = FENCE_OPEN.exec(lines[i]);
  const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
  const code = [];
  let closed = false;
  i++;
  while (i < lines.length) {
    if (close.test(lines[i])) {
      closed = true;
      i++;
      break;
    }
    code.push(stripIndent(lines[i], indent.length));
    i++;
  }
  return [{ type: 'code', lang: info, code: code.join('\n'), closed }, i];
}

function stripIndent(line, max) {
  let n = 0;
  while (n < max && line[n] === ' ') n++;
  return line.slice(n);
}

function indentOf(line) {
  const m = /^[ \t]*/.exec(line)[0];
  return m.replace(/\t/g, '    ').length;
}

function list(lines, i, depth) {
  const first = ITEM.exec(lines[i]);
  const ordered = /\d/.test(first[2]);
  const delimiter = ordered ? first[2].slice(-1) : first[2];
  const sameKind = (m) => (ordered ? /\d/.test(m[2]) && m[2].slice(-1) === delimiter : m[2] === delimiter);
  const items = [];
  let loose = false;
  let item = null;
  while (i < lines.length) {
    const line = lines[i];
    const m = isListItem(line) ? ITEM.exec(line) : null;
    if (m && (!item || indentOf(line) < item.contentIndent)) {
      if (!sameKind(m)) break;
      const gap = m[3].length > 4 ? 1 : m[3].length;
      item = { contentIndent: m[1].length + m[2].length + gap, lines: [m[4]] };
      items.push(item);
      i++;
      continue;
    }
    if (BLANK.test(line)) {
      let j = i + 1;
      while (j < lines.length && BLANK.test(lines[j])) j++;
      if (j >= lines.length) break;
      const next = lines[j];
      const nextItem = isListItem(next) ? ITEM.exec(next) : null;
      if (indentOf(next) >= item.contentIndent) {
        loose = true;
        for (; i < j; i++) item.lines.push('');
        continue;
      }
      if (nextItem && sameKind(nextItem) && indentOf(next) < item.contentIndent) {
        loose = true;
        i = j;
        continue;
      }
      break;
    }
    if (indentOf(line) >= 2 || indentOf(line) >= item.contentIndent) {
      item.lines.push(stripIndent(line.replace(/^\t+/, (t) => '    '.repeat(t.length)), item.contentIndent));
      i++;
      continue;
    }
    // Lazy continuation of the item's paragraph (a wrapped line without indentation).
    if (!BLANK.test(item.lines[item.lines.length - 1]) && !interruptsParagraph(lines, i)) {
      item.lines.push(line.trim());
      i++;
      continue;
    }
    break;
  }
  return [{
    type: 'list',
    ordered,
    start: ordered ? parseInt(first[2], 10) : 1,
    loose,
    items: items.map((it) => parseBlocks(it.lines.join('\n'), depth + 1)),
  }, i];
}

function isTableStart(lines, i) {
  return i + 1 < lines.length && lines[i].includes('|') && TABLE_DELIMITER.test(lines[i + 1])
    && lines[i + 1].includes('-') && (lines[i + 1].includes('|') || lines[i].trim().startsWith('|'));
}

function splitRow(line) {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  const cells = [];
  let cell = '';
  let inCode = false;
  for (let k = 0; k < row.length; k++) {
    const c = row[k];
    if (c === '\\' && row[k + 1] === '|') {
      cell += '|';
      k++;
    } else if (c === '`') {
      inCode = !inCode;
      cell += c;
    } else if (c === '|' && !inCode) {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += c;
    }
  }
  cells.push(cell.trim());
  return cells;
}

function table(lines, i) {
  const header = splitRow(lines[i]);
  const align = splitRow(lines[i + 1]).map((spec) => {
    const left = spec.startsWith(':');
    const right = spec.endsWith(':');
    if (left && right) return 'center';
    if (right) return 'right';
    return left ? 'left' : '';
  });
  i += 2;
  const rows = [];
  while (i < lines.length && !BLANK.test(lines[i]) && lines[i].includes('|')) rows.push(splitRow(lines[i++]));
  return [{ type: 'table', header, align, rows }, i];
}

// ---- inline --------------------------------------------------------------------------------------------------------

/** Parses inline Markdown into node descriptors: text, br, code, strong, em, del, link. */
export function parseInline(src, allowLinks = true) {
  const out = [];
  const noCloser = new Set();
  let buf = '';
  const flush = () => {
    if (buf) out.push({ type: 'text', value: buf });
    buf = '';
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\' && i + 1 < src.length && PUNCTUATION.test(src[i + 1])) {
      buf += src[i + 1];
      i += 2;
      continue;
    }
    if (c === '\n') {
      flush();
      out.push({ type: 'br' });
      i++;
      continue;
    }
    if (c === '`') {
      const run = runLength(src, i, '`');
      const close = codeSpanEnd(src, i + run, run);
      if (close >= 0) {
        flush();
        let code = src.slice(i + run, close).replace(/\n/g, ' ');
        if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim()) code = code.slice(1, -1);
        out.push({ type: 'code', value: code });
        i = close + run;
      } else {
        buf += src.slice(i, i + run);
        i += run;
      }
      continue;
    }
    if (c === '*' || c === '_' || c === '~') {
      const found = emphasis(src, i, noCloser, allowLinks);
      if (found) {
        flush();
        out.push(found.node);
        i = found.end;
        continue;
      }
      const run = runLength(src, i, c);
      buf += src.slice(i, i + run);
      i += run;
      continue;
    }
    if (c === '[' && allowLinks) {
      const found = link(src, i);
      if (found) {
        flush();
        out.push(found.node);
        i = found.end;
        continue;
      }
    }
    if (c === '<' && allowLinks) {
      const m = /^<(https?:\/\/[^\s<>]+)>/i.exec(src.slice(i, i + 2050));
      const href = m && safeHref(m[1]);
      if (href) {
        flush();
        out.push({ type: 'link', href, children: [{ type: 'text', value: m[1] }] });
        i += m[0].length;
        continue;
      }
    }
    if ((c === 'h' || c === 'H') && allowLinks && (i === 0 || !/[\p{L}\p{N}]/u.test(src[i - 1]))) {
      const m = /^https?:\/\/[^\s<>]+/i.exec(src.slice(i, i + 2048));
      if (m) {
        const url = trimUrl(m[0]);
        const href = safeHref(url);
        if (href && url.length > 8) {
          flush();
          out.push({ type: 'link', href, children: [{ type: 'text', value: url }] });
          i += url.length;
          continue;
        }
      }
    }
    buf += c;
    i++;
  }
  flush();
  return out;
}

function runLength(src, i, c) {
  let n = 0;
  while (src[i + n] === c) n++;
  return n;
}

/** Index of the closing backtick run of exactly `run` backticks at or after `from`, or -1. */
function codeSpanEnd(src, from, run) {
  let j = src.indexOf('`', from);
  while (j >= 0) {
    const n = runLength(src, j, '`');
    if (n === run) return j;
    j = src.indexOf('`', j + n);
  }
  return -1;
}

const TAGS = { '*': 'em', '_': 'em', '**': 'strong', '__': 'strong', '~~': 'del' };

function emphasis(src, i, noCloser, allowLinks) {
  const c = src[i];
  const run = runLength(src, i, c);
  if (c === '_' && i > 0 && /[\p{L}\p{N}]/u.test(src[i - 1])) return null; // snake_case stays literal
  const candidates = c === '~' ? (run >= 2 ? ['~~'] : []) : run >= 3 ? [c.repeat(3), c + c, c] : run === 2 ? [c + c, c] : [c];
  for (const delim of candidates) {
    if (noCloser.has(delim)) continue;
    const open = i + delim.length;
    if (open >= src.length || /\s/.test(src[open])) continue;
    const close = findCloser(src, open, delim);
    if (close < 0) {
      noCloser.add(delim);
      continue;
    }
    const inner = parseInline(src.slice(open, close), allowLinks);
    let node;
    if (delim.length === 3) node = { type: 'strong', children: [{ type: 'em', children: inner }] };
    else node = { type: TAGS[delim], children: inner };
    return { node, end: close + delim.length };
  }
  return null;
}

/** Finds the closing delimiter after `from`: not preceded by whitespace, skipping code spans and longer runs. */
function findCloser(src, from, delim) {
  const c = delim[0];
  let j = from;
  while (j < src.length) {
    const ch = src[j];
    if (ch === '\\') {
      j += 2;
      continue;
    }
    if (ch === '`') {
      const run = runLength(src, j, '`');
      const end = codeSpanEnd(src, j + run, run);
      j = end >= 0 ? end + run : j + run;
      continue;
    }
    if (ch === c) {
      const run = runLength(src, j, c);
      const ok = j > from && !/\s/.test(src[j - 1])
        && (c !== '_' || j + run >= src.length || !/[\p{L}\p{N}]/u.test(src[j + run]));
      if (ok) {
        if (run === delim.length) return j;
        // A run of three closes a single or double delimiter together with a nested one: "*a **b***".
        if (run === 3 && delim.length < 3 && c !== '~') return j + 3 - delim.length;
      }
      j += run;
      continue;
    }
    j++;
  }
  return -1;
}

function link(src, i) {
  // [label](destination "optional title")
  let depth = 0;
  let j = i;
  for (; j < src.length; j++) {
    const ch = src[j];
    if (ch === '\\') {
      j++;
    } else if (ch === '`') {
      const run = runLength(src, j, '`');
      const end = codeSpanEnd(src, j + run, run);
      if (end >= 0) j = end + run - 1;
    } else if (ch === '[') {
      depth++;
    } else if (ch === ']') {
      depth--;
      if (depth === 0) break;
    } else if (ch === '\n' && src[j + 1] === '\n') {
      return null;
    }
  }
  if (depth !== 0 || src[j + 1] !== '(') return null;
  const label = src.slice(i + 1, j);
  const rest = /^\(\s*(<[^<>\n]*>|[^\s()<>]*(?:\([^\s()<>]*\)[^\s()<>]*)*)(?:\s+("[^"]*"|'[^']*'))?\s*\)/.exec(src.slice(j + 1, j + 2100));
  if (!rest) return null;
  const end = j + 1 + rest[0].length;
  let destination = rest[1];
  if (destination.startsWith('<')) destination = destination.slice(1, -1);
  const href = safeHref(destination);
  if (!href) {
    // Not an http(s) link: show exactly what the model wrote, as text.
    return { node: { type: 'text', value: src.slice(i, end) }, end };
  }
  const title = rest[2] ? rest[2].slice(1, -1) : null;
  return { node: { type: 'link', href, title, children: parseInline(label, false) }, end };
}

function trimUrl(url) {
  let out = url;
  for (;;) {
    const last = out[out.length - 1];
    if (/[.,:;!?'"*_~]/.test(last)) {
      out = out.slice(0, -1);
    } else if (last === ')' && (out.match(/\(/g) || []).length < (out.match(/\)/g) || []).length) {
      out = out.slice(0, -1);
    } else {
      return out;
    }
  }
}

/** The normalized href when `raw` is an absolute http(s) URL, else null. */
export function safeHref(raw) {
  try {
    const url = new URL(String(raw).trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

// ---- rendering -----------------------------------------------------------------------------------------------------

function renderInline(nodes, parent) {
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        parent.append(document.createTextNode(node.value));
        break;
      case 'br':
        parent.append(document.createElement('br'));
        break;
      case 'code': {
        const code = document.createElement('code');
        code.textContent = node.value;
        parent.append(code);
        break;
      }
      case 'link': {
        const a = document.createElement('a');
        a.href = node.href;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        if (node.title) a.title = node.title;
        renderInline(node.children, a);
        parent.append(a);
        break;
      }
      default: {
        const el = document.createElement(node.type); // strong | em | del
        renderInline(node.children, el);
        parent.append(el);
      }
    }
  }
  return parent;
}

function renderBlock(block, tight = false) {
  switch (block.type) {
    case 'paragraph': {
      if (tight) return renderInline(parseInline(block.text), document.createDocumentFragment());
      return renderInline(parseInline(block.text), document.createElement('p'));
    }
    case 'heading': {
      // Answers live inside the page's own outline: Markdown h1 becomes h3, and so on (h6 at most).
      const el = document.createElement(`h${Math.min(block.level + 2, 6)}`);
      el.className = `md-h${block.level}`;
      return renderInline(parseInline(block.text), el);
    }
    case 'rule':
      return document.createElement('hr');
    case 'quote': {
      const el = document.createElement('blockquote');
      for (const child of block.children) el.append(renderBlock(child));
      return el;
    }
    case 'list': {
      const el = document.createElement(block.ordered ? 'ol' : 'ul');
      if (block.ordered && block.start !== 1) el.start = block.start;
      for (const item of block.items) {
        const li = document.createElement('li');
        for (const child of item) li.append(renderBlock(child, !block.loose));
        el.append(li);
      }
      return el;
    }
    case 'table':
      return renderTable(block);
    case 'code':
      return renderCode(block);
    default:
      return document.createTextNode(block.source || '');
  }
}

function renderTable(block) {
  const wrap = document.createElement('div');
  wrap.className = 'table-wrap';
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  const width = block.header.length;
  block.header.forEach((cell, k) => {
    const th = document.createElement('th');
    th.scope = 'col';
    if (block.align[k]) th.style.textAlign = block.align[k];
    head.append(renderInline(parseInline(cell), th));
  });
  const body = table.createTBody();
  for (const row of block.rows) {
    const tr = body.insertRow();
    for (let k = 0; k < width; k++) {
      const td = tr.insertCell();
      if (block.align[k]) td.style.textAlign = block.align[k];
      renderInline(parseInline(row[k] ?? ''), td);
    }
  }
  wrap.append(table);
  return wrap;
}

function renderCode(block) {
  const wrap = document.createElement('div');
  wrap.className = 'code-block';
  const bar = document.createElement('div');
  bar.className = 'code-toolbar';
  const lang = document.createElement('span');
  lang.className = 'code-lang';
  lang.textContent = block.lang || 'code';
  const copy = document.createElement('button');
  copy.type = 'button';
  copy.className = 'copy-button';
  copy.setAttribute('aria-label', block.lang ? `Copy ${block.lang} code` : 'Copy code');
  makeCopyButton(copy, () => block.code);
  bar.append(lang, copy);
  const pre = document.createElement('pre');
  const code = document.createElement('code');
  const safeLang = String(block.lang || '').toLowerCase().replace(/[^a-z0-9+#_-]/g, '').slice(0, 32);
  if (safeLang) code.dataset.lang = safeLang;
  code.textContent = block.code;
  pre.append(code);
  pre.tabIndex = 0; // scrollable region: reachable by keyboard
  wrap.append(bar, pre);
  return wrap;
}

const rendered = new WeakMap();

/**
 * Renders `text` into `container`, replacing what an earlier call rendered there. Leading blocks whose source is
 * unchanged keep their DOM nodes (and so their focus and selection); only the rest is rebuilt.
 */
export function renderMarkdown(container, text) {
  const blocks = parseBlocks(text ?? '');
  const previous = rendered.get(container);
  let keep = 0;
  if (previous && previous.nodes.every((node) => node.parentNode === container)) {
    while (keep < blocks.length && keep < previous.blocks.length
      && blocks[keep].source === previous.blocks[keep].source && blocks[keep].type === previous.blocks[keep].type) {
      keep++;
    }
    for (let k = keep; k < previous.nodes.length; k++) previous.nodes[k].remove();
  } else {
    while (container.firstChild) container.removeChild(container.firstChild);
  }
  const nodes = previous && keep > 0 ? previous.nodes.slice(0, keep) : [];
  for (let k = keep; k < blocks.length; k++) {
    const node = renderBlock(blocks[k]);
    // A fragment (tight paragraph) never occurs at top level, so every node here is an element we can track.
    container.append(node);
    nodes.push(node);
  }
  rendered.set(container, { blocks, nodes });
}
