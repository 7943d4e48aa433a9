/*
 * conversation.js: the conversation's DOM (#messages). User messages are plain text; answers are rendered Markdown
 * with their tool cards, thinking line, error state and meta footer. This module only draws: it keeps no protocol
 * state and calls back into the controller for Retry. Scrolling follows new text only while the reader is at the
 * bottom; otherwise a "Jump to latest" button appears.
 */

import { h, clear, formatDuration, formatNumber, fullTime } from './dom.js';
import { renderMarkdown } from './markdown.js';
import { makeCopyButton } from './clipboard.js';
import { icon } from './icons.js';

const PIN_THRESHOLD_PX = 80;

/** Human titles for the error codes an answer can end with. */
export const ERROR_TITLES = {
  LLM_UNAVAILABLE: 'The AI model is unavailable',
  LLM_ERROR: 'The AI model failed to answer',
  LLM_TIMEOUT: 'The AI model did not answer in time',
  RATE_LIMITED: 'The AI model is rate limited',
  SERVICE_UNAVAILABLE: 'Candor is unavailable',
  INTERNAL_ERROR: 'The answer could not be stored',
  RUN_LOST: 'The answer could not be followed',
  ANSWER_NOT_STORED: 'The answer could not be saved',
  RUN_EVENTS_LOST: 'Part of this answer could not be recovered',
};

/** What the failure means for text already shown in the answer. */
const SHOWN_TEXT_NOTES = {
  ANSWER_NOT_STORED: 'the text above is not saved in the history',
  RUN_EVENTS_LOST: 'the text above may be incomplete; the stored answer, if any, is in the history',
};

export class ConversationView {
  constructor({ scroller, list, emptyState, statusLine, jumpButton }) {
    this.scroller = scroller;
    this.list = list;
    this.emptyState = emptyState;
    this.statusLine = statusLine;
    this.jumpButton = jumpButton;
    this.pinned = true;
    this.lastTop = 0;
    this.followFrame = 0;
    // Only the reader scrolling up unpins: content growing between a programmatic scroll and its event must not.
    scroller.addEventListener('scroll', () => {
      const top = scroller.scrollTop;
      if (this.distanceFromBottom() <= PIN_THRESHOLD_PX) this.pinned = true;
      else if (top < this.lastTop) this.pinned = false;
      this.lastTop = top;
      if (this.pinned) this.jumpButton.hidden = true;
    }, { passive: true });
    jumpButton.addEventListener('click', () => {
      this.scrollToEnd(true);
      jumpButton.hidden = true;
    });
  }

  distanceFromBottom() {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight;
  }

  /** Empties the conversation (a new thread). */
  reset() {
    clear(this.list);
    this.setStatus(null);
    this.updateEmpty();
    this.pinned = true;
    this.jumpButton.hidden = true;
  }

  showLoading() {
    clear(this.list);
    this.emptyState.hidden = true;
    this.setStatus('Loading conversation…');
  }

  showLoadError(message, onRetry) {
    clear(this.list);
    this.emptyState.hidden = true;
    this.setStatus(message, onRetry);
  }

  setStatus(text, onRetry) {
    const line = clear(this.statusLine);
    line.hidden = !text;
    if (!text) return;
    line.append(h('span', { text }));
    if (onRetry) line.append(' ', h('button', { type: 'button', class: 'button button-quiet', text: 'Try again', on: { click: onRetry } }));
  }

  updateEmpty() {
    this.emptyState.hidden = this.list.childElementCount > 0 || !this.statusLine.hidden;
  }

  /** Replaces the conversation with stored messages. Returns the run ids of the stored answers. */
  renderHistory(messages) {
    clear(this.list);
    this.setStatus(null);
    const runIds = new Set();
    for (const message of messages) {
      if (message.role === 'user') {
        this.list.append(new UserBubble({ content: message.content, messageId: message.id, state: 'sent' }).el);
      } else {
        const answer = new AnswerView({ runId: message.run_id ?? '', live: false });
        answer.showStored(message);
        this.list.append(answer.el);
        if (message.run_id) runIds.add(message.run_id);
      }
    }
    this.updateEmpty();
    this.scrollToEnd(true);
    return runIds;
  }

  /** Appends a user message. */
  addUserMessage(options) {
    const bubble = new UserBubble(options);
    this.list.append(bubble.el);
    this.updateEmpty();
    this.scrollToEnd(true);
    return bubble;
  }

  /** The element of the user message with this stored id, if it is shown. */
  findUserMessage(messageId) {
    if (!messageId) return null;
    return [...this.list.querySelectorAll('.message.user')].find((el) => el.dataset.messageId === messageId) ?? null;
  }

  /** Inserts a live answer right after the user message it answers (or at the end). */
  addAnswer(answer, afterElement) {
    if (afterElement && afterElement.parentNode === this.list) afterElement.after(answer.el);
    else this.list.append(answer.el);
    answer.onGrow = () => this.follow();
    this.updateEmpty();
    this.follow();
    return answer;
  }

  /** Keeps the newest text in view while the reader is at the bottom. */
  follow() {
    if (this.followFrame) return;
    this.followFrame = requestAnimationFrame(() => {
      this.followFrame = 0;
      if (this.pinned) this.scrollToEnd(false);
      else if (this.distanceFromBottom() > PIN_THRESHOLD_PX) this.jumpButton.hidden = false;
    });
  }

  scrollToEnd(force) {
    if (force) this.pinned = true;
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.lastTop = this.scroller.scrollTop;
  }
}

/** A user message: plain text, with a "not sent" state and Retry. */
export class UserBubble {
  constructor({ content, messageId = '', clientMessageId = '', state = 'sending' }) {
    this.status = h('p', { class: 'user-status' });
    this.el = h('li', { class: 'message user', dataset: { state } },
      h('div', { class: 'bubble user-bubble' },
        h('p', { class: 'visually-hidden', text: 'You said:' }),
        h('div', { class: 'user-body', text: content })),
      this.status);
    if (messageId) this.el.dataset.messageId = messageId;
    if (clientMessageId) this.el.dataset.clientMessageId = clientMessageId;
    this.setState(state);
  }

  setMessageId(id) {
    if (id) this.el.dataset.messageId = id;
  }

  /** queued | sending | sent | failed (with the reason and an optional Retry). */
  setState(state, { message, onRetry } = {}) {
    this.el.dataset.state = state;
    const status = clear(this.status);
    status.hidden = state === 'sent';
    if (state === 'queued') status.append(h('span', { class: 'spinner', 'aria-hidden': 'true' }), ' Sent when Candor is ready');
    if (state === 'sending') status.append(h('span', { class: 'spinner', 'aria-hidden': 'true' }), ' Sending…');
    if (state === 'failed') {
      status.append(icon('alert'), ` Not sent${message ? `: ${message}` : ''}`);
      if (onRetry) {
        status.append(' ', h('button', { type: 'button', class: 'button button-quiet retry-button', on: { click: onRetry } },
          icon('retry'), 'Retry'));
      }
    }
  }
}

/** One assistant answer. */
export class AnswerView {
  constructor({ runId = '', live = true, agentName = 'Candor' }) {
    this.text = '';
    this.renderFrame = 0;
    this.renderTimer = 0;
    this.onGrow = null;
    this.tools = new Map();

    this.author = h('span', { class: 'answer-author', text: agentName });
    this.badge = h('span', { class: 'answer-status' });
    this.thinking = h('p', { class: 'answer-thinking', hidden: true });
    this.toolList = h('ul', { class: 'answer-tools', 'aria-label': 'Tools used', hidden: true });
    this.body = h('div', { class: 'answer-body' });
    if (live) this.body.setAttribute('aria-live', 'polite');
    this.errorBox = h('div', { class: 'answer-error', hidden: true });
    this.meta = h('p', { class: 'answer-meta-text' });
    this.copyButton = h('button', { type: 'button', class: 'button button-quiet copy-answer', 'aria-label': 'Copy answer' });
    makeCopyButton(this.copyButton, () => this.text, 'Copy');
    this.footer = h('footer', { class: 'answer-meta', hidden: true }, this.meta, this.copyButton);

    this.el = h('li', { class: 'message assistant answer', dataset: { runId, state: 'streaming' } },
      h('div', { class: 'avatar', 'aria-hidden': 'true', text: 'C' }),
      h('article', { class: 'bubble answer-bubble', 'aria-label': 'Answer' },
        h('header', { class: 'answer-header' }, this.author, this.badge),
        this.thinking, this.toolList, this.body, this.errorBox, this.footer));
    this.setBadge('Answering…');
  }

  setRunId(runId) {
    this.el.dataset.runId = runId;
  }

  setAgentName(name) {
    if (name) this.author.textContent = name === name.toLowerCase() ? name[0].toUpperCase() + name.slice(1) : name;
  }

  setBadge(text, kind = '') {
    this.badge.textContent = text;
    this.badge.hidden = !text;
    this.badge.dataset.kind = kind;
  }

  /** Shows the accumulated answer text; rendering is batched to one per frame. */
  setText(text) {
    this.text = text;
    if (this.renderFrame || this.renderTimer) return;
    const run = () => this.flush();
    this.renderFrame = requestAnimationFrame(run);
    // Background tabs do not run animation frames: a timer keeps the text current there too.
    this.renderTimer = setTimeout(run, 120);
  }

  flush() {
    cancelAnimationFrame(this.renderFrame);
    clearTimeout(this.renderTimer);
    this.renderFrame = 0;
    this.renderTimer = 0;
    renderMarkdown(this.body, this.text);
    this.onGrow?.();
  }

  /** The agent's status or reasoning; null hides the line. */
  setThinking(text) {
    this.thinking.hidden = !text;
    this.thinking.textContent = text || '';
    this.onGrow?.();
  }

  /** Adds or updates a tool card: {callId, name, args, state: running|done|error, result, durationMs}. */
  upsertTool(tool) {
    let card = this.tools.get(tool.callId);
    if (!card) {
      card = new ToolCard(tool);
      this.tools.set(tool.callId, card);
      this.toolList.append(card.el);
      this.toolList.hidden = false;
    }
    card.update(tool);
    this.onGrow?.();
  }

  /** An answer loaded from the thread's history. */
  showStored(message) {
    this.text = message.content || '';
    renderMarkdown(this.body, this.text);
    if (message.status === 'unfinished') {
      this.el.dataset.state = 'cancelled';
      this.el.dataset.status = 'unfinished';
      this.setBadge('Stopped · unfinished', 'cancelled');
    } else {
      this.el.dataset.state = 'complete';
      this.setBadge('');
    }
    this.meta.textContent = message.created_at ? fullTime(message.created_at) : '';
    this.footer.hidden = !this.text;
  }

  complete(payload) {
    this.text = typeof payload.content === 'string' ? payload.content : this.text;
    this.flush();
    this.finish('complete');
    this.setBadge('');
    const parts = [];
    if (payload.model) parts.push(payload.model);
    const usage = payload.usage;
    if (usage && Number.isFinite(usage.input_tokens) && Number.isFinite(usage.output_tokens)) {
      parts.push(`${formatNumber(usage.input_tokens)} in · ${formatNumber(usage.output_tokens)} out tokens`);
    }
    if (Number.isFinite(payload.duration_ms)) parts.push(formatDuration(payload.duration_ms));
    this.meta.textContent = parts.join(' · ');
    this.footer.hidden = false;
  }

  cancel(payload) {
    if (typeof payload.partial_content === 'string') this.text = payload.partial_content;
    this.flush();
    this.finish('cancelled');
    this.setBadge(this.text ? 'Stopped' : 'Stopped before any text', 'cancelled');
    this.meta.textContent = this.text ? 'Partial answer, kept as unfinished' : '';
    this.footer.hidden = !this.text;
  }

  /** The run ended without an answer. Text streamed before the failure stays visible, marked incomplete. */
  fail(payload, onRetry) {
    this.flush();
    this.finish('error');
    this.setBadge('Failed', 'error');
    const code = payload.error_code || 'ERROR';
    this.errorBox.dataset.errorCode = code;
    const box = clear(this.errorBox);
    box.append(
      h('p', { class: 'answer-error-title' }, icon('alert'), ` ${ERROR_TITLES[code] || 'The answer failed'}`),
      h('p', { class: 'answer-error-message', text: payload.message || '' }),
      h('p', { class: 'answer-error-code', text: errorCodeLine(payload, this.text) }));
    if (onRetry) {
      box.append(h('button', { type: 'button', class: 'button button-quiet retry-button', on: { click: onRetry } },
        icon('retry'), 'Retry'));
    }
    box.hidden = false;
    // An answer that streamed whole but was not stored can still be copied from here.
    const unsaved = code === 'ANSWER_NOT_STORED' && Boolean(this.text);
    this.meta.textContent = unsaved ? 'Shown here only' : '';
    this.footer.hidden = !unsaved;
    this.onGrow?.();
  }

  /** While the socket is down and the run is being resumed. */
  setInterrupted(interrupted) {
    if (this.el.dataset.state !== 'streaming') return;
    this.setBadge(interrupted ? 'Connection lost · will resume' : 'Answering…', interrupted ? 'warning' : '');
  }

  finish(state) {
    this.el.dataset.state = state;
    this.setThinking(null);
    for (const card of this.tools.values()) card.settle();
  }
}

/** "Error code: X · reference <correlation_id> · what happened to the text shown". */
function errorCodeLine(payload, shownText) {
  const code = payload.error_code || 'ERROR';
  let line = `Error code: ${code}`;
  if (payload.correlation_id) line += ` · reference ${payload.correlation_id}`;
  if (shownText) line += ` · ${SHOWN_TEXT_NOTES[code] ?? 'the text above is incomplete'}`;
  return line;
}

/** A tool call: name, arguments and result (pretty JSON when they are JSON), duration, running/done/error. */
/** The name a card shows: `server › tool` for a tool of an MCP server (`<server>__<tool>` on the wire). */
function toolLabel(tool) {
  const prefix = tool.server ? `${tool.server}__` : '';
  return prefix && tool.name.startsWith(prefix) ? `${tool.server} › ${tool.name.slice(prefix.length)}` : tool.name;
}

class ToolCard {
  constructor(tool) {
    this.statusText = h('span', { class: 'tool-status' });
    this.approval = null;
    this.args = h('pre', { class: 'tool-json', tabindex: '0' });
    this.result = h('pre', { class: 'tool-json', tabindex: '0' });
    this.resultSection = h('div', { class: 'tool-section', hidden: true },
      h('p', { class: 'tool-label', text: 'Result' }), this.result);
    this.details = h('details', { class: 'tool-details', open: true },
      h('summary', { class: 'tool-summary' },
        icon('tool', 'icon tool-icon'),
        h('span', { class: 'tool-name', text: toolLabel(tool) }),
        this.statusText),
      h('div', { class: 'tool-section' }, h('p', { class: 'tool-label', text: 'Arguments' }), this.args),
      this.resultSection);
    this.el = h('li', { class: 'tool-card', dataset: { toolName: tool.name, callId: tool.callId, state: 'running' } },
      this.details);
  }

  update(tool) {
    this.el.dataset.state = tool.state;
    this.args.textContent = pretty(tool.args);
    if (tool.state !== 'approval' && this.approval) {
      this.approval.remove();
      this.approval = null;
    }
    if (tool.state === 'approval') {
      this.statusText.textContent = tool.answered ? 'Answer sent…' : 'Needs your approval';
      if (!this.approval) this.showApproval(tool);
      for (const button of this.approval.querySelectorAll('button')) button.disabled = Boolean(tool.answered);
      return;
    }
    if (tool.state === 'running') {
      clear(this.statusText).append(h('span', { class: 'spinner', 'aria-hidden': 'true' }), ' Running…');
      return;
    }
    const took = Number.isFinite(tool.durationMs) ? ` in ${formatDuration(tool.durationMs)}` : '';
    this.statusText.textContent = tool.state === 'error' ? `Failed${took}` : `Done${took}`;
    this.result.textContent = pretty(tool.result);
    this.resultSection.hidden = false;
  }

  /** The approve/deny card of a tool that acts: the tool runs only if the user approves. */
  showApproval(tool) {
    const seconds = Number.isFinite(tool.timeoutMs) ? Math.round(tool.timeoutMs / 1000) : null;
    this.approval = h('div', { class: 'tool-section tool-approval', role: 'group', 'aria-label': 'Approve this tool call' },
      h('p', { class: 'tool-approval-text', text: `Candor wants to run ${toolLabel(tool)} with the arguments above.`
        + (seconds ? ` It will not run unless you approve within ${seconds} s.` : '') }),
      h('div', { class: 'tool-approval-actions' },
        h('button', { type: 'button', class: 'button button-primary tool-approve', text: 'Approve',
          on: { click: () => tool.onAnswer?.(true) } }),
        h('button', { type: 'button', class: 'button button-quiet tool-deny', text: 'Deny',
          on: { click: () => tool.onAnswer?.(false) } })));
    this.el.append(this.approval);
  }

  /** The run ended while this tool was still running or waiting (stopped or failed): it will never complete. */
  settle() {
    if (this.el.dataset.state !== 'running' && this.el.dataset.state !== 'approval') return;
    this.approval?.remove();
    this.approval = null;
    this.el.dataset.state = 'error';
    this.statusText.textContent = 'Did not finish';
  }
}

/** Pretty JSON for objects and for strings that hold JSON; other strings as they are. */
export function pretty(value) {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if ((trimmed.startsWith('{') && trimmed.endsWith('}')) || (trimmed.startsWith('[') && trimmed.endsWith(']'))) {
      try {
        return JSON.stringify(JSON.parse(trimmed), null, 2);
      } catch {
        return value;
      }
    }
    return value;
  }
  return JSON.stringify(value, null, 2);
}
