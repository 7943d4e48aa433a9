/*
 * chat.js: the conversation controller. It owns the protocol state of the page:
 *   - sends: user_message frames waiting for their run (matched to the first run event of their thread, or to
 *     thread_created for a new thread; resent with the same client_message_id after a reconnect). A message sent
 *     while Candor is reinitializing, or answered NOT_READY, is kept (queued) and sent once more by itself when
 *     `ready` arrives; a second NOT_READY fails it with a Retry;
 *   - runs: every run this page follows, with the last seq applied, the accumulated text, tools and end state.
 *     Events with seq <= the last applied seq are ignored, so replays after `resume` never duplicate text;
 *   - the open thread: its history (REST) merged with the live runs that belong to it.
 * Runs of other threads keep streaming in the background and show up when their thread is opened. Runs still in
 * progress are remembered in sessionStorage so that a reload resumes them too.
 *
 * Events: 'threadchange' {threadId, title} when the open conversation changes (threadId null: a new one).
 */

import { randomId } from './dom.js';
import { threadsApi } from './api.js';
import { AnswerView, ERROR_TITLES } from './conversation.js';
import { HANDSHAKE_ERRORS } from './connection.js';

const TERMINAL = new Set(['agent_completed', 'agent_error', 'run_cancelled']);
const RUN_EVENTS = new Set(['thread_created', 'agent_started', 'agent_thinking', 'agent_delta',
  'tool_approval_required', 'tool_executing', 'tool_completed', ...TERMINAL]);
/** Error frames that reject a user_message (it was not stored and no run started). */
const SEND_ERRORS = new Set(['THREAD_BUSY', 'THREAD_NOT_FOUND', 'INVALID_MESSAGE', 'INVALID_JSON', 'UNKNOWN_TYPE',
  'MESSAGE_TOO_LARGE', 'NOT_READY', 'RATE_LIMITED', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE', 'LLM_UNAVAILABLE',
  'LLM_ERROR', 'LLM_TIMEOUT', 'FORBIDDEN']);
/** Banners that belong to one run or one send: cleared when the conversation changes. */
const CONVERSATION_ERRORS = ['LLM_UNAVAILABLE', 'LLM_ERROR', 'LLM_TIMEOUT', 'RATE_LIMITED', 'THREAD_BUSY',
  'THREAD_NOT_FOUND', 'INTERNAL_ERROR', 'INVALID_MESSAGE', 'MESSAGE_TOO_LARGE', 'NOT_READY', 'RUN_NOT_FOUND',
  'RUN_LOST', 'SERVICE_UNAVAILABLE_RUN', 'ANSWER_NOT_STORED', 'RUN_EVENTS_LOST', 'APPROVAL_NOT_PENDING'];
const STORAGE_KEY = 'candor.activeRuns';
/** A NOT_READY without retry_after_ms while the connection still says ready: try again after this long. */
const NOT_READY_RETRY_MS = 2000;
const THINKING_TAIL = 180;

const SEND_ERROR_TITLES = {
  THREAD_BUSY: 'This conversation is still answering',
  THREAD_NOT_FOUND: 'This conversation no longer exists',
  NOT_READY: 'Candor was not ready, so your message was not sent',
  MESSAGE_TOO_LARGE: 'Your message is too large',
  INVALID_MESSAGE: 'Your message was rejected',
  RATE_LIMITED: 'Too many requests',
  APPROVAL_NOT_PENDING: 'That tool call no longer waits for approval',
};

/** One agent run followed by this page. */
class Run {
  constructor(id, threadId, send = null) {
    this.id = id;
    this.threadId = threadId;
    this.send = send;
    this.lastSeq = 0;
    this.state = 'streaming'; // streaming | complete | error | cancelled
    this.text = '';
    this.thinking = '';
    this.thinkingOpen = false; // the next agent_thinking continues the current segment
    this.tools = new Map();
    this.userMessageId = null;
    this.userContent = send?.content ?? null;
    this.agentName = null;
    this.final = null; // agent_completed / run_cancelled payload
    this.error = null; // agent_error payload
    this.stopping = false;
    this.interrupted = false;
    this.restored = false; // remembered from before a reload of the page
    this.view = null;
  }

  thinkingLine() {
    if (!this.thinkingOpen || !this.thinking.trim()) return null;
    const text = this.thinking.replace(/\s+/g, ' ').trim();
    return text.length > THINKING_TAIL ? `…${text.slice(-THINKING_TAIL)}` : text;
  }
}

export class ChatController extends EventTarget {
  constructor({ connection, view, composer, threads, banner, announce }) {
    super();
    Object.assign(this, { connection, view, composer, threads, banner, announce });
    this.runs = new Map();
    this.pending = []; // sends without a run yet
    this.inFlight = null; // the newest of them: blocks another send until the server answered it
    this.requests = []; // outstanding stop_run / resume: {kind, runId}
    this.currentThreadId = null;
    this.viewKey = 'new:0';
    this.newCounter = 0;
    this.historyLoaded = true;
    this.historyRunIds = new Set();
    this.loadFailed = false;
    this.loadToken = 0;
    this.restoreRuns();
  }

  // ---- conversations -------------------------------------------------------------------------------------------

  /** Shows an empty conversation; the next message opens a new thread. */
  newThread() {
    this.loadToken++;
    this.currentThreadId = null;
    this.viewKey = `new:${++this.newCounter}`;
    this.historyLoaded = true;
    this.historyRunIds = new Set();
    this.loadFailed = false;
    this.view.reset();
    this.banner.clear(CONVERSATION_ERRORS);
    this.emitThreadChange(null, null);
    this.updateComposer();
  }

  /** Opens a stored thread: loads its history, then shows the runs of it that this page follows. */
  async openThread(id, { force = false } = {}) {
    if (!force && id === this.currentThreadId && this.historyLoaded) return;
    const token = ++this.loadToken;
    this.currentThreadId = id;
    this.viewKey = id;
    this.historyLoaded = false;
    this.historyRunIds = new Set();
    this.loadFailed = false;
    this.banner.clear(CONVERSATION_ERRORS);
    this.view.showLoading();
    this.emitThreadChange(id, this.threads.get(id)?.title ?? null);
    this.updateComposer();
    try {
      const data = await threadsApi.messages(id);
      if (token !== this.loadToken) return;
      this.historyRunIds = this.view.renderHistory(Array.isArray(data.messages) ? data.messages : []);
      this.historyLoaded = true;
      if (data.thread) {
        this.threads.upsert(data.thread);
        this.emitThreadChange(id, data.thread.title);
      }
      for (const run of this.runs.values()) if (run.threadId === id) this.attachView(run);
    } catch (error) {
      if (token !== this.loadToken) return;
      if (error.code === 'THREAD_NOT_FOUND') {
        this.threads.remove(id);
        this.newThread();
        this.banner.show({ code: 'THREAD_NOT_FOUND', title: 'This conversation no longer exists', message: error.message });
        return;
      }
      this.loadFailed = true;
      this.view.showLoadError(`Couldn't load this conversation. ${error.message}`, () => this.openThread(id, { force: true }));
    }
    this.updateComposer();
  }

  /** A thread was deleted (from the sidebar). */
  threadDeleted(id) {
    for (const run of this.runs.values()) if (run.threadId === id) run.view = null;
    if (this.currentThreadId === id) this.newThread();
  }

  emitThreadChange(threadId, title) {
    this.dispatchEvent(new CustomEvent('threadchange', { detail: { threadId, title } }));
  }

  // ---- sending -------------------------------------------------------------------------------------------------

  /** Sends a user message to the open thread (a new thread when none is open). */
  send(content, threadId = this.currentThreadId) {
    if (!content.trim() || !this.connection.connected || this.inFlight) return false;
    const send = {
      clientMessageId: randomId(),
      content,
      threadId,
      viewKey: this.viewKey,
      state: 'queued', // queued (not sent yet) | sending | sent | failed
      keptOnce: false, // answered NOT_READY once already and kept
      bubble: null,
    };
    send.bubble = this.view.addUserMessage({ content, clientMessageId: send.clientMessageId, state: 'queued' });
    this.pending.push(send);
    this.inFlight = send;
    this.banner.clear(CONVERSATION_ERRORS);
    this.transmit(send);
    this.updateComposer();
    return true;
  }

  /** Sends it now when the connection is ready; otherwise it stays queued until `ready` (see flushQueued). */
  transmit(send) {
    const payload = { content: send.content, client_message_id: send.clientMessageId };
    if (send.threadId) payload.thread_id = send.threadId;
    send.state = this.connection.send({ type: 'user_message', payload }) ? 'sending' : 'queued';
    send.bubble?.setState(send.state);
  }

  flushQueued() {
    for (const send of this.pending) if (send.state === 'queued') this.transmit(send);
  }

  /**
   * NOT_READY: Candor lost a dependency and did not keep the message. Keep it here and send it again, with the same
   * client_message_id, when `ready` arrives. If the connection still says ready (the server's `reinitializing` is on
   * its way, or it is back already), try once after retry_after_ms instead.
   */
  keepUntilReady(send, p) {
    send.keptOnce = true;
    send.state = 'queued';
    send.bubble?.setState('queued');
    if (!this.connection.ready) return;
    const delay = Number.isFinite(p.retry_after_ms) && p.retry_after_ms > 0 ? p.retry_after_ms : NOT_READY_RETRY_MS;
    setTimeout(() => {
      if (send.state === 'queued' && this.connection.ready) this.transmit(send);
    }, delay);
  }

  /** Stops the run streaming in the open thread. */
  stop() {
    const run = this.activeRun();
    if (!run || run.stopping) return;
    if (this.connection.send({ type: 'stop_run', payload: { run_id: run.id } })) {
      run.stopping = true;
      this.requests.push({ kind: 'stop', runId: run.id });
      run.view?.setBadge('Stopping…', 'warning');
      this.updateComposer();
    }
  }

  /** The user's answer on a tool's approve/deny card: sent once; the run's next event updates the card. */
  answerApproval(run, tool, approved) {
    if (tool.answered || tool.state !== 'approval') return;
    const frame = { type: 'tool_approval', payload: { run_id: run.id, call_id: tool.callId, approved } };
    if (this.connection.send(frame)) {
      tool.answered = true;
      run.view?.upsertTool(tool);
    }
  }

  /** Sends the question of a failed run again, as a new message. */
  retryRun(run) {
    const content = run.userContent ?? this.storedUserText(run.userMessageId);
    if (!content || run.threadId !== this.currentThreadId) return;
    this.banner.clear(CONVERSATION_ERRORS);
    if (!this.send(content, run.threadId)) this.composer.value = content;
    this.composer.focus();
  }

  retrySend(send) {
    send.bubble?.el.remove();
    this.banner.clear(CONVERSATION_ERRORS);
    if (!this.send(send.content, send.threadId)) this.composer.value = send.content;
    this.composer.focus();
  }

  storedUserText(messageId) {
    return this.view.findUserMessage(messageId)?.querySelector('.user-body')?.textContent ?? null;
  }

  // ---- connection --------------------------------------------------------------------------------------------------

  /**
   * The connection is ready (again): continue every interrupted run and resend what was not answered. `again`: the
   * same socket is ready after reinitializing; its runs kept streaming, so only the queued messages go out.
   */
  onReady({ again = false } = {}) {
    if (!again) {
      this.requests = [];
      for (const run of this.runs.values()) {
        if (run.state !== 'streaming') continue;
        run.interrupted = false;
        run.stopping = false;
        run.view?.setInterrupted(false);
        this.connection.send({ type: 'resume', payload: { run_id: run.id, after_seq: run.lastSeq } });
        this.requests.push({ kind: 'resume', runId: run.id });
      }
      // Sent on the old socket and not answered: the same client_message_id makes a second copy impossible.
      for (const send of this.pending) if (send.state === 'sending') send.state = 'queued';
    }
    this.flushQueued();
    if (this.loadFailed && this.currentThreadId) this.openThread(this.currentThreadId, { force: true });
    this.updateComposer();
  }

  /** The socket is gone: mark live answers as interrupted until they are resumed. */
  onDisconnected() {
    for (const run of this.runs.values()) {
      if (run.state !== 'streaming') continue;
      run.interrupted = true;
      run.stopping = false;
      run.view?.setInterrupted(true);
    }
    this.requests = [];
    this.updateComposer();
  }

  // ---- server frames -------------------------------------------------------------------------------------------

  handleFrame(frame) {
    if (RUN_EVENTS.has(frame.type)) this.handleRunEvent(frame);
    else if (frame.type === 'duplicate_message') this.handleDuplicate(frame.payload);
    else if (frame.type === 'error') this.handleError(frame.payload);
  }

  handleRunEvent(frame) {
    const { run_id: runId, thread_id: threadId, seq, type, payload } = frame;
    if (!runId) return;
    let run = this.runs.get(runId);
    if (!run) {
      const send = this.claimSend(type, threadId);
      run = new Run(runId, threadId, send);
      this.runs.set(runId, run);
      if (send && this.inFlight === send) this.inFlight = null;
    }
    if (run.state !== 'streaming') return; // ended here (RUN_LOST, RUN_EVENTS_LOST): nothing more is shown
    if (Number.isFinite(seq)) {
      if (seq <= run.lastSeq) return; // already applied (replayed after resume)
      run.lastSeq = seq;
    }
    if (threadId && !run.threadId) run.threadId = threadId;
    this.requests = this.requests.filter((r) => !(r.runId === runId && (r.kind === 'resume' || TERMINAL.has(type))));
    this.apply(run, type, payload, frame.timestamp);
    if (!run.view?.el.isConnected) this.attachView(run);
    this.updateComposer();
  }

  /** The pending send a new run answers: the oldest one for its thread (or for a new thread). */
  claimSend(type, threadId) {
    const index = this.pending.findIndex((send) => (type === 'thread_created' ? send.threadId === null
      : send.threadId === threadId));
    return index < 0 ? null : this.pending.splice(index, 1)[0];
  }

  apply(run, type, p, timestamp) {
    const view = run.view?.el.isConnected ? run.view : null;
    switch (type) {
      case 'thread_created': {
        const now = timestamp || new Date().toISOString();
        this.threads.upsert({ id: p.thread_id, title: p.title, created_at: now, updated_at: now }, { toTop: true });
        if (run.send && run.send.viewKey === this.viewKey && this.currentThreadId === null) {
          this.currentThreadId = p.thread_id;
          this.viewKey = p.thread_id;
          this.emitThreadChange(p.thread_id, p.title);
        }
        this.threads.setBusy(p.thread_id, true);
        break;
      }
      case 'agent_started':
        run.agentName = p.agent_name || null;
        run.userMessageId = p.message_id || null;
        if (run.send) {
          run.send.state = 'sent';
          run.send.bubble?.setMessageId(p.message_id);
          run.send.bubble?.setState('sent');
        }
        view?.setAgentName(run.agentName);
        this.threads.setBusy(run.threadId, true);
        this.threads.touch(run.threadId, timestamp);
        this.saveRuns();
        break;
      case 'agent_thinking':
        if (!run.thinkingOpen) run.thinking = '';
        run.thinkingOpen = true;
        run.thinking += p.text || '';
        view?.setThinking(run.thinkingLine());
        break;
      case 'agent_delta':
        run.thinkingOpen = false;
        run.text += p.text || '';
        view?.setThinking(null);
        view?.setText(run.text);
        break;
      case 'tool_approval_required': {
        run.thinkingOpen = false;
        const tool = { callId: p.call_id, name: p.tool_name, server: p.server, args: p.arguments, state: 'approval',
          timeoutMs: p.timeout_ms };
        tool.onAnswer = (approved) => this.answerApproval(run, tool, approved);
        run.tools.set(p.call_id, tool);
        view?.setThinking(null);
        view?.upsertTool(tool);
        break;
      }
      case 'tool_executing': {
        run.thinkingOpen = false;
        const tool = { callId: p.call_id, name: p.tool_name, server: p.server, args: p.arguments, state: 'running' };
        run.tools.set(p.call_id, tool);
        view?.setThinking(null);
        view?.upsertTool(tool);
        break;
      }
      case 'tool_completed': {
        const tool = run.tools.get(p.call_id)
          ?? { callId: p.call_id, name: p.tool_name, server: p.server, args: undefined };
        Object.assign(tool, { state: p.is_error ? 'error' : 'done', result: p.result, durationMs: p.duration_ms });
        run.tools.set(p.call_id, tool);
        view?.upsertTool(tool);
        break;
      }
      case 'agent_completed':
        run.state = 'complete';
        run.final = p;
        if (typeof p.content === 'string') run.text = p.content;
        view?.complete(p);
        this.finished(run, timestamp, 'Answer complete');
        break;
      case 'run_cancelled':
        run.state = 'cancelled';
        run.final = p;
        if (typeof p.partial_content === 'string') run.text = p.partial_content;
        view?.cancel(p);
        this.finished(run, timestamp, 'Answer stopped');
        break;
      case 'agent_error':
        run.state = 'error';
        run.error = p;
        view?.fail(p, () => this.retryRun(run));
        this.finished(run, timestamp, `Answer failed: ${p.message || p.error_code}`);
        this.showRunError(run);
        break;
      default:
        break;
    }
  }

  finished(run, timestamp, announcement) {
    run.stopping = false;
    run.thinkingOpen = false;
    this.threads.setBusy(run.threadId, false);
    this.threads.touch(run.threadId, timestamp);
    this.saveRuns();
    if (run.threadId === this.currentThreadId) this.announce(announcement);
  }

  showRunError(run) {
    if (run.threadId !== this.currentThreadId) return; // shown in the answer when its thread is opened
    const code = run.error.error_code || 'ERROR';
    this.banner.show({
      code,
      title: ERROR_TITLES[code] || 'The answer failed',
      message: run.error.message,
      reference: run.error.correlation_id,
      actions: run.error.retryable === false && !run.userContent ? [] : [{
        label: 'Retry', primary: true, className: 'banner-retry', onClick: () => this.retryRun(run),
      }],
    });
  }

  /** Creates the answer element of a run of the open thread, after the question it answers. */
  attachView(run) {
    if (run.threadId !== this.currentThreadId || !this.historyLoaded || this.historyRunIds.has(run.id)) return;
    if (run.view?.el.isConnected) return;
    let anchor = run.send?.bubble?.el.isConnected ? run.send.bubble.el : null;
    if (!anchor) anchor = this.view.findUserMessage(run.userMessageId);
    if (!anchor && run.userContent !== null) {
      anchor = this.view.addUserMessage({ content: run.userContent, messageId: run.userMessageId || '', state: 'sent' }).el;
    }
    const view = new AnswerView({ runId: run.id, live: true });
    run.view = view;
    this.view.addAnswer(view, anchor);
    this.paint(run);
  }

  /** Draws a run's whole state into its (new) answer element. */
  paint(run) {
    const view = run.view;
    view.setRunId(run.id);
    view.setAgentName(run.agentName);
    for (const tool of run.tools.values()) view.upsertTool(tool);
    if (run.state === 'streaming') {
      view.setText(run.text);
      view.setThinking(run.thinkingLine());
      view.setInterrupted(run.interrupted);
      if (run.stopping) view.setBadge('Stopping…', 'warning');
    } else if (run.state === 'complete') {
      view.complete(run.final);
    } else if (run.state === 'cancelled') {
      view.cancel(run.final);
    } else {
      view.fail(run.error, this.retryFor(run));
    }
  }

  handleDuplicate(p) {
    const index = this.pending.findIndex((send) => send.clientMessageId === p.client_message_id);
    const send = index < 0 ? null : this.pending.splice(index, 1)[0];
    if (send && this.inFlight === send) this.inFlight = null;
    if (send) {
      send.state = 'sent';
      send.bubble?.setMessageId(p.message_id);
      send.bubble?.setState('sent');
    }
    if (p.run_id) {
      let run = this.runs.get(p.run_id);
      if (!run) {
        run = new Run(p.run_id, p.thread_id, send);
        run.userMessageId = p.message_id;
        this.runs.set(p.run_id, run);
      }
      if (run.state === 'streaming') {
        this.connection.send({ type: 'resume', payload: { run_id: run.id, after_seq: run.lastSeq } });
        this.requests.push({ kind: 'resume', runId: run.id });
      }
    }
    this.updateComposer();
  }

  handleError(p) {
    const code = p.error_code || 'ERROR';
    if (HANDSHAKE_ERRORS.has(code) && this.connection.state !== 'ready') return; // the app shows these
    if (code === 'AUTH_FAILED') return; // an expired sign-in or a refused reauthenticate: app.js renews or asks
    if (code === 'RUN_NOT_FOUND' && this.requests.length) {
      this.handleRunNotFound(p);
      return;
    }
    if (code === 'RUN_EVENTS_LOST') {
      this.handleRunEventsLost(p);
      return;
    }
    const send = this.pending.find((s) => p.client_message_id && s.clientMessageId === p.client_message_id)
      ?? this.inFlight;
    if (send && code === 'NOT_READY' && !send.keptOnce) {
      this.keepUntilReady(send, p);
      return;
    }
    if (send && SEND_ERRORS.has(code)) {
      this.rejectSend(send, p);
      return;
    }
    this.banner.show({
      code, title: SEND_ERROR_TITLES[code] || ERROR_TITLES[code] || 'Something went wrong', message: p.message,
      reference: p.correlation_id,
    });
  }

  /** The server refused a user_message: it was not stored and nothing runs. */
  rejectSend(send, p) {
    const code = p.error_code;
    if (this.inFlight === send) this.inFlight = null;
    this.pending = this.pending.filter((s) => s !== send);
    send.state = 'failed';
    send.bubble?.setState('failed', { message: p.message, onRetry: () => this.retrySend(send) });
    const actions = [{ label: 'Retry', primary: true, className: 'banner-retry', onClick: () => this.retrySend(send) }];
    if (code === 'THREAD_BUSY') {
      const run = this.activeRun();
      if (run) actions.push({ label: 'Stop the current answer', onClick: () => this.stop() });
    }
    if (code === 'THREAD_NOT_FOUND') {
      this.threads.remove(send.threadId);
      actions.splice(0, 1, {
        label: 'Send in a new conversation', primary: true, className: 'banner-retry',
        onClick: () => {
          this.newThread();
          this.send(send.content, null);
        },
      });
    }
    this.banner.show({
      code,
      title: SEND_ERROR_TITLES[code] || ERROR_TITLES[code] || 'Your message was not sent',
      message: p.message,
      reference: p.correlation_id,
      actions: code === 'INVALID_MESSAGE' || code === 'MESSAGE_TOO_LARGE' ? [] : actions,
    });
    this.updateComposer();
  }

  handleRunNotFound(p) {
    const message = p.message || '';
    const index = Math.max(0, this.requests.findIndex((r) => message.includes(r.runId)));
    const [request] = this.requests.splice(index, 1);
    const run = this.runs.get(request.runId);
    if (!run) return;
    if (request.kind === 'stop') {
      run.stopping = false; // it ended already; its last event arrives (or arrived) on its own
      this.updateComposer();
      return;
    }
    if (run.restored && run.lastSeq === 0) {
      // Remembered from before a reload, but gone from the server: forget it quietly.
      this.runs.delete(run.id);
      this.saveRuns();
      this.threads.setBusy(run.threadId, false);
    } else if (run.state === 'streaming') {
      // The server does not know the run (any more): say so instead of waiting forever.
      this.loseRun(run, {
        error_code: 'RUN_LOST',
        message: 'This answer could not be resumed after the connection was lost. Reload the conversation to see what was stored.',
        retryable: true,
      });
    }
    this.updateComposer();
  }

  /** `resume` could not recover every event of the run: stop following it; the stored answer is in the history. */
  handleRunEventsLost(p) {
    const index = this.requests.findIndex((r) => r.kind === 'resume' && r.runId === p.run_id);
    if (index >= 0) this.requests.splice(index, 1);
    const run = this.runs.get(p.run_id);
    if (run?.state === 'streaming') {
      this.loseRun(run, {
        error_code: 'RUN_EVENTS_LOST',
        message: p.message || 'Part of this answer can no longer be recovered. Reload the conversation to see what was stored.',
        retryable: false,
      });
    } else if (!run) {
      this.banner.show({ code: 'RUN_EVENTS_LOST', title: ERROR_TITLES.RUN_EVENTS_LOST, message: p.message });
    }
    this.updateComposer();
  }

  /** Ends a run this page can no longer follow, and offers to reload its conversation (the stored answer). */
  loseRun(run, error) {
    run.state = 'error';
    run.error = error;
    if (run.view?.el.isConnected) run.view.fail(run.error, this.retryFor(run));
    this.finished(run, null, 'Answer could not be resumed');
    if (run.threadId === this.currentThreadId) {
      this.banner.show({
        code: error.error_code, title: ERROR_TITLES[error.error_code], message: error.message,
        actions: [{ label: 'Reload conversation', primary: true, className: 'banner-retry',
          onClick: () => this.openThread(run.threadId, { force: true }) }],
      });
    }
  }

  /** The answer's Retry (ask the question again), except after RUN_EVENTS_LOST: its answer may be stored already. */
  retryFor(run) {
    return run.error?.error_code === 'RUN_EVENTS_LOST' ? null : () => this.retryRun(run);
  }

  // ---- state helpers -------------------------------------------------------------------------------------------

  /** The run streaming in the open thread, if any. */
  activeRun() {
    if (!this.currentThreadId) return null;
    for (const run of this.runs.values()) {
      if (run.state === 'streaming' && run.threadId === this.currentThreadId) return run;
    }
    return null;
  }

  updateComposer() {
    const run = this.activeRun();
    const waiting = Boolean(this.inFlight);
    this.composer.setActivity({
      inFlight: waiting,
      streaming: Boolean(run) || (waiting && this.inFlight.viewKey === this.viewKey),
      canStop: Boolean(run) && this.connection.connected,
      stopping: Boolean(run?.stopping),
    });
  }

  saveRuns() {
    try {
      const active = [...this.runs.values()].filter((r) => r.state === 'streaming')
        .map((r) => ({ runId: r.id, threadId: r.threadId }));
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(active));
    } catch {
      /* storage disabled: a reload then simply shows the stored history */
    }
  }

  /** Runs that were streaming when the page was last closed or reloaded: resumed from the start once ready. */
  restoreRuns() {
    let saved = [];
    try {
      saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || '[]');
    } catch {
      saved = [];
    }
    if (!Array.isArray(saved)) return;
    for (const entry of saved) {
      if (entry && typeof entry.runId === 'string' && !this.runs.has(entry.runId)) {
        const run = new Run(entry.runId, typeof entry.threadId === 'string' ? entry.threadId : null);
        run.restored = true;
        this.runs.set(entry.runId, run);
      }
    }
  }
}
