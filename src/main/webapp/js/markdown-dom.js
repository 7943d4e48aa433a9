/*
 * markdown-dom.js: turns markdown-it's token stream into DOM nodes.
 *
 * Safety: every node is built with createElement / text nodes / textContent and a fixed set of attributes; no string
 * is ever parsed as HTML, so `<img src=x onerror=...>` or `<script>` in model text stays literal text. A link gets an
 * href only when it is an absolute http(s) URL, and always opens with target=_blank rel="noopener noreferrer".
 * Token types this module does not know are shown as their text, never dropped and never interpreted.
 */

import { makeCopyButton } from './clipboard.js';

/** The normalized href when `raw` is an absolute http(s) URL, else null. */
export function safeHref(raw) {
  try {
    const url = new URL(String(raw).trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

const CONTAINERS = {
  paragraph_open: 'p',
  blockquote_open: 'blockquote',
  bullet_list_open: 'ul',
  ordered_list_open: 'ol',
  list_item_open: 'li',
  thead_open: 'thead',
  tbody_open: 'tbody',
  tr_open: 'tr',
  th_open: 'th',
  td_open: 'td',
};

const INLINE_TAGS = { em_open: 'em', strong_open: 'strong', s_open: 'del' };

function attr(token, name) {
  const pair = token.attrs?.find(([key]) => key === name);
  return pair ? pair[1] : null;
}

/**
 * Renders the tokens of one top-level block (an opening token through its closing token, or a single leaf token)
 * and returns its element.
 */
export function renderBlock(tokens) {
  const root = document.createDocumentFragment();
  const stack = [root];
  for (const token of tokens) {
    const parent = stack[stack.length - 1];
    if (token.nesting === -1) {
      stack.pop();
    } else if (token.nesting === 1) {
      const [outer, inner] = openBlock(token);
      if (outer) parent.append(outer);
      stack.push(inner ?? parent);
    } else if (token.type === 'inline') {
      renderInline(token.children ?? [], parent);
    } else if (token.type === 'fence' || token.type === 'code_block') {
      parent.append(renderCode(token));
    } else if (token.type === 'hr') {
      parent.append(document.createElement('hr'));
    } else if (token.content) {
      parent.append(token.content);
    }
  }
  return root.childNodes.length === 1 ? root.firstChild : wrap(root);
}

function wrap(fragment) {
  const div = document.createElement('div');
  div.append(fragment);
  return div;
}

/** [element to append, element that receives the children]; a hidden paragraph (tight list) has neither. */
function openBlock(token) {
  if (token.hidden) return [null, null];
  if (token.type === 'heading_open') {
    // Answers live inside the page's own outline: Markdown h1 becomes h3, and so on (h6 at most).
    const level = Number(token.tag.slice(1)) || 1;
    const el = document.createElement(`h${Math.min(level + 2, 6)}`);
    el.className = `md-h${level}`;
    return [el, el];
  }
  if (token.type === 'table_open') {
    const outer = document.createElement('div');
    outer.className = 'table-wrap';
    const table = document.createElement('table');
    outer.append(table);
    return [outer, table];
  }
  const el = document.createElement(CONTAINERS[token.type] ?? 'div');
  if (token.type === 'ordered_list_open') {
    const start = parseInt(attr(token, 'start') ?? '1', 10);
    if (Number.isFinite(start) && start !== 1) el.start = start;
  }
  if (token.type === 'th_open' || token.type === 'td_open') {
    // markdown-it gives the column alignment as a style attribute; only the three alignments are copied (CSSOM).
    const align = /text-align:\s*(left|right|center)/.exec(attr(token, 'style') ?? '');
    if (align) el.style.textAlign = align[1];
    if (token.type === 'th_open') el.scope = 'col';
  }
  return [el, el];
}

/** Renders inline tokens (a paragraph's, a heading's, a cell's) into `parent`. */
export function renderInline(tokens, parent) {
  const stack = [parent];
  for (const token of tokens) {
    const top = stack[stack.length - 1];
    switch (token.type) {
      case 'text':
        top.append(token.content);
        break;
      case 'softbreak':
      case 'hardbreak':
        top.append(document.createElement('br'));
        break;
      case 'code_inline': {
        const code = document.createElement('code');
        code.textContent = token.content;
        top.append(code);
        break;
      }
      case 'link_open': {
        const href = safeHref(attr(token, 'href') ?? '');
        if (!href) {
          stack.push(top); // cannot happen (validateLink), but then the label stays plain text
          break;
        }
        const a = document.createElement('a');
        a.href = href;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        const title = attr(token, 'title');
        if (title) a.title = title;
        top.append(a);
        stack.push(a);
        break;
      }
      default:
        if (INLINE_TAGS[token.type]) {
          const el = document.createElement(INLINE_TAGS[token.type]);
          top.append(el);
          stack.push(el);
        } else if (token.nesting === 1) {
          stack.push(top);
        } else if (token.nesting === -1) {
          if (stack.length > 1) stack.pop();
        } else if (token.content) {
          top.append(token.content);
        }
    }
  }
  return parent;
}

function renderCode(token) {
  const lang = String(token.info ?? '').trim().split(/\s+/)[0];
  const text = token.content.endsWith('\n') ? token.content.slice(0, -1) : token.content;
  const wrapper = document.createElement('div');
  wrapper.className = 'code-block';
  const bar = document.createElement('div');
  bar.className = 'code-toolbar';
  const label = document.createElement('span');
  label.className = 'code-lang';
  label.textContent = lang || 'code';
  const copy = document.createElement('button');
  copy.type = 'button';
  copy.className = 'copy-button';
  copy.setAttribute('aria-label', lang ? `Copy ${lang} code` : 'Copy code');
  makeCopyButton(copy, () => text);
  bar.append(label, copy);
  const pre = document.createElement('pre');
  const code = document.createElement('code');
  const safeLang = lang.toLowerCase().replace(/[^a-z0-9+#_-]/g, '').slice(0, 32);
  if (safeLang) code.dataset.lang = safeLang;
  code.textContent = text;
  pre.append(code);
  pre.tabIndex = 0; // scrollable region: reachable by keyboard
  wrapper.append(bar, pre);
  return wrapper;
}
