/*
 * banner.js: the single error banner (#error-banner, role="alert"). One error at a time; a newer one replaces
 * the older. Each has a code (data-error-code), a title, the server's message, optional actions and an optional
 * countdown ("Retrying in 4 s") that ticks without being re-announced by screen readers.
 */

import { h, clear } from './dom.js';

export class Banner {
  constructor(root) {
    this.root = root;
    this.titleEl = root.querySelector('.banner-title');
    this.messageEl = root.querySelector('.banner-message');
    this.countdownEl = root.querySelector('.banner-countdown');
    this.actionsEl = root.querySelector('.banner-actions');
    this.timer = 0;
    this.current = null;
  }

  /** The code of the error shown, or null. */
  get code() {
    return this.current?.code ?? null;
  }

  /**
   * @param {object} error
   * @param {string} error.code          data-error-code
   * @param {string} error.title         short headline
   * @param {string} [error.message]     detail (the server's message)
   * @param {string} [error.reference]   the server's correlation_id: an operator finds the details in its log
   * @param {string} [error.kind]        'error' (default) or 'warning' (styling only)
   * @param {Array<{label:string, onClick:function, primary?:boolean, className?:string}>} [error.actions]
   * @param {number} [error.countdownTo] epoch ms; shows "<countdownLabel> in N s" until then
   * @param {string} [error.countdownLabel]
   * @param {boolean} [error.dismissible] adds a Dismiss button (default true)
   */
  show(error) {
    this.current = error;
    const root = this.root;
    root.dataset.errorCode = error.code;
    root.dataset.kind = error.kind || 'error';
    this.titleEl.textContent = error.title;
    const message = [error.message, error.reference && `Reference: ${error.reference}`].filter(Boolean).join(' ');
    this.messageEl.textContent = message;
    this.messageEl.hidden = !message;
    clear(this.actionsEl);
    for (const action of error.actions || []) {
      this.actionsEl.append(h('button', {
        type: 'button',
        class: `button ${action.primary ? 'button-primary' : 'button-quiet'} ${action.className || ''}`.trim(),
        text: action.label,
        on: { click: action.onClick },
      }));
    }
    if (error.dismissible !== false) {
      this.actionsEl.append(h('button', {
        type: 'button',
        class: 'button button-quiet banner-dismiss',
        text: 'Dismiss',
        on: { click: () => this.clear() },
      }));
    }
    clearInterval(this.timer);
    this.timer = 0;
    this.renderCountdown();
    if (error.countdownTo) this.timer = setInterval(() => this.renderCountdown(), 500);
    root.hidden = false;
  }

  renderCountdown() {
    const error = this.current;
    if (!error?.countdownTo) {
      this.countdownEl.textContent = '';
      this.countdownEl.hidden = true;
      return;
    }
    const seconds = Math.max(0, Math.ceil((error.countdownTo - Date.now()) / 1000));
    this.countdownEl.hidden = false;
    this.countdownEl.textContent = seconds > 0
      ? `${error.countdownLabel || 'Retrying'} in ${seconds} s`
      : `${error.countdownLabel || 'Retrying'}…`;
    if (seconds <= 0) {
      clearInterval(this.timer);
      this.timer = 0;
    }
  }

  /** Hides the banner; with `codes`, only when the error shown has one of them. */
  clear(codes) {
    if (!this.current) return;
    if (codes && !codes.includes(this.current.code)) return;
    clearInterval(this.timer);
    this.timer = 0;
    this.current = null;
    this.root.hidden = true;
    delete this.root.dataset.errorCode;
  }
}
