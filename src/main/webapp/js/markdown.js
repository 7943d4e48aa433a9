/*
 * markdown.js: model answers as Markdown, parsed by markdown-it (markdown-parse.js) and drawn as DOM nodes only
 * (markdown-dom.js). Without the library the text is shown plain, never hidden.
 *
 * renderMarkdown(container, text) is incremental, for streaming. Appending text can only change the last two
 * top-level blocks (a paragraph that turns into a list item can join the list before it), so every block before
 * those is committed: its DOM stays and its source is never parsed again. Each call parses only the tail from the
 * first uncommitted block; tail blocks whose source did not change keep their nodes. Inline parsing (the costly
 * part) is memoized per run of inline text, and a paragraph longer than 2,000 characters is cut into chunks at line
 * breaks (markdown-parse.js, splitChunks): each chunk is parsed on its own and a top-level paragraph shows one <p>
 * per chunk, so a long growing paragraph costs one chunk per call, not its whole length.
 * The price: emphasis or a link that spans a chunk boundary shows its markers literally. Likewise a growing list or
 * table keeps its element, and of its items or rows only the changed ones are rebuilt.
 *
 * Each call is recorded as a User Timing measure named `candor:markdown` (detail: the text's length), cleared at
 * once so nothing accumulates; a PerformanceObserver (DevTools, the end-to-end tests) still sees every one.
 */

import { renderBlock, renderInline, safeHref } from './markdown-dom.js';
import { parseBlocks } from './markdown-parse.js';

export { safeHref };

/** Trailing top-level blocks that may still change as text is appended. */
const LIVE_BLOCKS = 2;

const states = new WeakMap();
/** The keyed children (list items, table rows) of a list or table element this module rendered. */
const itemsOf = new WeakMap();
export const MEASURE = 'candor:markdown';

/**
 * Renders `text` into `container`, replacing what an earlier call rendered there. When `text` extends the text of
 * the previous call (streaming), only its tail is parsed and only changed blocks are rebuilt; unchanged blocks keep
 * their nodes (and so their focus, selection and Copy state).
 */
export function renderMarkdown(container, text) {
  const start = performance.now();
  // markdown-it's own normalization, done first so that offsets and keys agree with its line numbers
  const source = String(text ?? '').replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD');
  render(container, source);
  performance.measure(MEASURE, { start, detail: { length: source.length } });
  performance.clearMeasures(MEASURE);
}

function render(container, source) {
  let state = states.get(container);
  if (!state || !state.intact(container) || !source.startsWith(state.committedSource)) {
    container.replaceChildren();
    state = new RenderState();
    states.set(container, state);
  }
  const tail = source.slice(state.committedSource.length);
  let parsed;
  try {
    parsed = parseBlocks(tail, state.inlineCache);
  } catch (error) {
    console.error('Markdown parsing failed; showing the text plain', error);
  }
  if (!parsed) {
    states.delete(container);
    renderPlain(container, source);
    return;
  }
  state.inlineCache = parsed.cache;
  state.update(container, parsed.blocks, tail, source);
}

class RenderState {
  constructor() {
    this.committedSource = '';
    this.committed = []; // nodes of committed blocks, in order
    this.live = []; // {key, node} of the tail's units, in order
    this.inlineCache = new Map();
  }

  intact(container) {
    return this.committed.every((node) => node.parentNode === container)
      && this.live.every(({ node }) => node.parentNode === container);
  }

  update(container, blocks, tail, source) {
    const sourceOf = lineSource(tail);
    let commitCount = Math.max(0, blocks.length - LIVE_BLOCKS);
    if (commitCount > 0 && !blocks[commitCount][0].map) commitCount = 0; // (every top-level token has a map)
    const specs = [];
    let committedUnits = 0;
    blocks.forEach((tokens, index) => {
      const units = unitsOf(tokens, sourceOf);
      specs.push(...units);
      if (index < commitCount) committedUnits += units.length;
    });
    const after = this.committed[this.committed.length - 1] ?? null;
    const placed = placeUnits(container, after, this.live, specs);
    this.committed.push(...placed.slice(0, committedUnits).map((unit) => unit.node));
    this.live = placed.slice(committedUnits);
    if (commitCount > 0) {
      const length = this.committedSource.length + sourceOf.offset(blocks[commitCount][0].map[0]);
      this.committedSource = source.slice(0, length);
    }
  }
}

/**
 * Puts the units described by `specs` ({key, render} or, for a list or table, {key, shell, container, items}) into
 * `parent`, in order, right after `after` (or first). Nodes of `previous` units with the same key are reused, the
 * others removed. Returns the placed units as {key, node}.
 */
function placeUnits(parent, after, previous, specs) {
  const reusable = new Map();
  for (const { key, node } of previous) {
    if (!reusable.has(key)) reusable.set(key, []);
    reusable.get(key).push(node);
  }
  const nodes = specs.map((spec) => reusable.get(spec.key)?.shift() ?? null);
  for (const rest of reusable.values()) rest.forEach((node) => node.remove());
  let cursor = after ? after.nextSibling : parent.firstChild;
  return specs.map((spec, k) => {
    let node = nodes[k];
    if (spec.items) {
      node = node ?? spec.shell();
      itemsOf.set(node, placeUnits(spec.container(node), null, itemsOf.get(node) ?? [], spec.items));
    } else {
      node = node ?? spec.render();
    }
    if (node === cursor) cursor = cursor.nextSibling;
    else parent.insertBefore(node, cursor);
    return { key: spec.key, node };
  });
}

/** The source of a token's lines ([start, end) as in token.map), and the offset of a line. */
function lineSource(text) {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  starts.push(text.length + 1);
  const offset = (line) => starts[Math.min(line, starts.length - 1)];
  const of = ([from, to]) => text.slice(offset(from), offset(to));
  of.offset = offset;
  return of;
}

/**
 * The DOM units of one top-level block, each keyed by what its rendering depends on, so that an equal key may reuse
 * an earlier node: one <p> per chunk of a long paragraph (keyed by the chunk); a list or table element whose items or
 * rows are units of their own (keyed by their source lines); else the block (keyed by its source lines).
 */
function unitsOf(tokens, sourceOf) {
  const [open] = tokens;
  const meta = tokens.length === 3 && open.type === 'paragraph_open' ? tokens[1].meta : null;
  if (meta && meta.chunks.length > 1) {
    return meta.chunks.map((children, k) => ({
      key: `${k ? 'c' : 'p'}:${meta.texts[k]}`,
      render: () => {
        const p = document.createElement('p');
        if (k) p.className = 'md-cont';
        return renderInline(children, p);
      },
    }));
  }
  if (open.map && (open.type === 'bullet_list_open' || open.type === 'ordered_list_open')) {
    const tight = tokens.some((t) => t.type === 'paragraph_open' && t.level === 2 && t.hidden);
    return [{
      key: `l:${open.type}:${open.attrGet?.('start') ?? ''}:${tight}`,
      shell: () => renderBlock([open, tokens[tokens.length - 1]]),
      container: (el) => el,
      items: children(tokens, 1, 'list_item_open', sourceOf),
    }];
  }
  const tbody = open.type === 'table_open' && open.map ? tokens.findIndex((t) => t.type === 'tbody_open') : -1;
  if (tbody > 0) {
    const rows = tokens.slice(tbody + 1, -2);
    return [{
      key: `t:${sourceOf([open.map[0], open.map[0] + 2])}`,
      shell: () => renderBlock([...tokens.slice(0, tbody + 1), ...tokens.slice(-2)]),
      container: (el) => el.querySelector('tbody'),
      items: children(rows, 2, 'tr_open', sourceOf),
    }];
  }
  return [{ key: `b:${open.map ? sourceOf(open.map) : tokens.map((t) => t.content).join('\n')}`, render: () => renderBlock(tokens) }];
}

/** Units for the children of a list or table body: each opening `type` token at `level` through its closing token. */
function children(tokens, level, type, sourceOf) {
  const units = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].type !== type || tokens[i].level !== level) continue;
    let end = i + 1;
    while (end < tokens.length && !(tokens[end].level === level && tokens[end].nesting === -1)) end++;
    const range = tokens.slice(i, end + 1);
    const key = tokens[i].map ? sourceOf(tokens[i].map) : range.map((t) => t.content).join('\n');
    units.push({ key: `i:${key}`, render: () => renderBlock(range) });
    i = end;
  }
  return units;
}

function renderPlain(container, source) {
  const p = document.createElement('p');
  source.split('\n').forEach((line, k) => {
    if (k) p.append(document.createElement('br'));
    p.append(line);
  });
  container.replaceChildren(p);
}
