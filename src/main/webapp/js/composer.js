/*
 * composer.js: the message box. Enter sends, Shift+Enter (or an IME composition) inserts a new line; the box grows
 * with its text. The Send button is enabled only while the connection is ready, nothing is in flight, the open
 * thread is not streaming and the text is within the limits (32,000 characters, and a frame the server accepts).
 * Emits 'send' {content} and 'stop'.
 */

import { formatNumber } from './dom.js';

export const MAX_CHARS = 32000;
/** The server's default largest inbound frame (candor.ws.max-frame-bytes), in UTF-8 bytes. */
const MAX_FRAME_BYTES = 65536;
/** Bytes kept free for the rest of the frame (type, thread_id, client_message_id). */
const ENVELOPE_BYTES = 512;
const encoder = new TextEncoder();

export class Composer extends EventTarget {
  constructor({ form, input, sendButton, stopButton, counter }) {
    super();
    this.form = form;
    this.input = input;
    this.sendButton = sendButton;
    this.stopButton = stopButton;
    this.stopLabel = stopButton.querySelector('.stop-label');
    this.counter = counter;
    this.ready = false;
    this.inFlight = false; // a user_message waits for its first answer event
    this.streaming = false; // the open thread has a run in progress
    this.canStop = false; // ... and its run id is known
    this.stopping = false;

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        this.submit();
      }
    });
    input.addEventListener('input', () => this.refresh());
    stopButton.addEventListener('click', () => this.dispatchEvent(new CustomEvent('stop')));
    this.refresh();
  }

  get value() {
    return this.input.value;
  }

  set value(text) {
    this.input.value = text;
    this.refresh();
  }

  focus() {
    this.input.focus({ preventScroll: true });
  }

  /** Connection readiness: typing stays possible while not ready, sending does not. */
  setReady(ready, placeholder) {
    this.ready = ready;
    this.input.placeholder = placeholder || (ready ? 'Message Candor' : 'Connecting…');
    this.refresh();
  }

  /** What the open thread is doing. */
  setActivity({ inFlight = false, streaming = false, canStop = false, stopping = false }) {
    Object.assign(this, { inFlight, streaming, canStop, stopping });
    this.refresh();
  }

  /** Why the text cannot be sent, or '' when it can (ignoring connection and activity). */
  textProblem() {
    const text = this.input.value;
    if (text.length > MAX_CHARS) {
      return `Too long: ${formatNumber(text.length - MAX_CHARS)} characters over the ${formatNumber(MAX_CHARS)} limit.`;
    }
    // The frame's UTF-8 size: JSON.stringify includes the escaping exactly.
    const bytes = encoder.encode(JSON.stringify(text)).length + ENVELOPE_BYTES;
    if (bytes > MAX_FRAME_BYTES) {
      return `Too large to send: ${formatNumber(Math.ceil(bytes / 1024))} KB, the server accepts 64 KB per message.`;
    }
    return '';
  }

  refresh() {
    const text = this.input.value;
    const problem = this.textProblem();
    const empty = text.trim().length === 0;
    this.sendButton.disabled = !this.ready || this.inFlight || this.streaming || empty || Boolean(problem);
    this.input.setAttribute('aria-invalid', problem ? 'true' : 'false');
    this.counter.textContent = problem || `${formatNumber(text.length)} / ${formatNumber(MAX_CHARS)}`;
    this.counter.dataset.state = problem ? 'over' : text.length > MAX_CHARS * 0.9 ? 'near' : 'ok';

    this.stopButton.hidden = !this.streaming;
    this.stopButton.disabled = !this.ready || !this.canStop || this.stopping;
    this.stopLabel.textContent = this.stopping ? 'Stopping…' : 'Stop';
    this.autosize();
  }

  autosize() {
    const input = this.input;
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight + 2, Math.round(window.innerHeight * 0.4))}px`;
  }

  submit() {
    if (this.sendButton.disabled) return;
    const content = this.input.value;
    this.dispatchEvent(new CustomEvent('send', { detail: { content } }));
  }

  clear() {
    this.input.value = '';
    this.refresh();
  }
}
