/*
 * markdown-parse.js: markdown-it, configured for model answers, parsing block structure with cached, chunked inline
 * runs (see markdown.js for why).
 *
 * markdown-it is vendored by the build (js/vendor/markdown-it/, from its WebJar) and loaded by a classic <script>
 * before the modules, as window.markdownit. Raw HTML is off, images are off (no remote loads from model text), link
 * reference definitions are off (so every block renders on its own), a single newline is a line break, and only
 * http(s) links (written or bare) become links.
 */

import { safeHref } from './markdown-dom.js';

/** Characters of inline text after which a paragraph is cut at the next line break. */
export const CHUNK = 2000;

const parsers = createParsers(globalThis.markdownit);

function createParsers(markdownit) {
  if (typeof markdownit !== 'function') {
    console.error('markdown-it is not loaded (js/vendor/markdown-it/markdown-it.min.js): answers are shown as plain text');
    return null;
  }
  const configure = (md) => {
    md.disable(['image', 'reference']);
    md.validateLink = (url) => safeHref(url) !== null;
    md.linkify.set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false });
    return md;
  };
  const options = { html: false, linkify: true, breaks: true, typographer: false };
  const inline = configure(markdownit(options));
  const block = configure(markdownit(options));
  // Block structure from `block`; the inline runs come from `inline`, fully processed (links, text joining), cached.
  block.core.ruler.at('inline', (state) => {
    for (const token of state.tokens) {
      if (token.type !== 'inline') continue;
      const texts = splitChunks(token.content);
      const chunks = texts.map((chunk) => inlineTokens(chunk, state.env, inline));
      token.meta = { texts, chunks };
      token.children = chunks.length === 1 ? chunks[0] : chunks.flatMap((children, k) => (k ? [BREAK, ...children] : children));
    }
  });
  block.core.ruler.disable(['linkify', 'text_join']);
  return { block };
}

const BREAK = { type: 'softbreak', nesting: 0 };

function inlineTokens(chunk, env, inline) {
  let children = env?.next?.get(chunk) ?? env?.previous?.get(chunk);
  if (!children) children = inline.parseInline(chunk, {})[0]?.children ?? [];
  env?.next?.set(chunk, children);
  return children;
}

/**
 * Cuts inline text into chunks. Greedy from the start, so a cut once made never moves as text is appended: at the
 * first line break at or after CHUNK characters; failing one within 2 * CHUNK, after the last space before that;
 * failing a space, hard at 2 * CHUNK (never inside a surrogate pair).
 */
export function splitChunks(text) {
  const chunks = [];
  let start = 0;
  while (text.length - start > CHUNK) {
    const limit = start + 2 * CHUNK;
    let end = text.indexOf('\n', start + CHUNK);
    let next = end + 1;
    if (end < 0 || end > limit) {
      if (text.length <= limit) break; // the cut is not decided yet: the rest stays one chunk
      end = text.lastIndexOf(' ', limit - 1);
      next = end + 1;
      if (end < start + CHUNK) {
        end = (text.charCodeAt(limit) & 0xfc00) === 0xdc00 ? limit - 1 : limit;
        next = end;
      }
    }
    chunks.push(text.slice(start, end));
    while (text[next] === ' ' || text[next] === '\t') next++;
    start = next;
  }
  chunks.push(text.slice(start));
  return chunks;
}

/**
 * Parses `source` into top-level blocks (arrays of tokens: an opening token through its closing token, or one leaf
 * token). Inline runs found in `previous` (a Map from an earlier call) are reused; the runs used are returned in
 * `cache` for the next call. Null when markdown-it is not loaded.
 */
export function parseBlocks(source, previous) {
  if (!parsers) return null;
  const env = { previous, next: new Map() };
  return { blocks: topLevelBlocks(parsers.block.parse(source, env)), cache: env.next };
}

function topLevelBlocks(tokens) {
  const blocks = [];
  let current = null;
  for (const token of tokens) {
    if (!current) {
      current = [];
      blocks.push(current);
    }
    current.push(token);
    if (token.level === 0 && token.nesting !== 1) current = null;
  }
  return blocks;
}
