/*
 * status.js: shows the connection state (#connection-status) and the server's startup progress (#init-panel with
 * #progress, #progress-phase and #progress-eta), at boot and when a dependency lost after ready is being brought back
 * (reinitializing). Only what the server reports is shown: the bar stays indeterminate until the first progress
 * number arrives, phase names come from the frames, never from a list of our own, and the time left is the server's
 * eta_ms, shown only when the last frame carried one.
 */

import { State, AUTH_ERRORS } from './connection.js';
import { h, clear } from './dom.js';

const PANEL_DELAY_MS = 400;

const DEPENDENCY_NAMES = { DEPENDENCIES: 'the AI provider', DATABASE: 'the database', CACHE: 'the cache' };

/** What a phase brings back, in the user's words ("Reconnecting to the database…"). */
export function dependencyName(phase) {
  return DEPENDENCY_NAMES[phase] ?? "Candor's services";
}

/** The server's estimate as "about N s", or null when it sent none. */
export function etaText(etaMs) {
  if (!Number.isFinite(etaMs) || etaMs < 0) return null;
  return `about ${Math.max(1, Math.ceil(etaMs / 1000))} s`;
}

export class StatusView {
  constructor(elements) {
    this.el = elements; // {status, statusText, panel, title, progress, fill, phase, eta, message, phaseList}
    this.phases = new Map(); // phase name -> 'done' | 'pending' | 'failed', in the order the server named them
    this.total = null;
    this.done = null;
    this.everReady = false;
    this.lostPhase = null; // the phase of the last `reinitializing`, until ready again
    this.eta = null; // "about N s" from the last frame that carried eta_ms
    this.state = State.CONNECTING;
    this.retryAt = 0;
    this.tick = 0;
    this.panelTimer = 0;
    this.hideTimer = 0;
  }

  /** Connection statechange. */
  onState({ state, retryAt, failure }) {
    this.state = state;
    this.retryAt = retryAt || 0;
    this.el.status.dataset.state = state;
    clearInterval(this.tick);
    this.tick = 0;
    if ((state === State.RECONNECTING || state === State.ERROR) && this.retryAt > Date.now()) {
      this.tick = setInterval(() => this.renderStatusText(), 1000);
    }
    this.renderStatusText();

    if (state === State.READY) {
      this.everReady = true;
      return;
    }
    if (state === State.ERROR && failure) {
      if (!AUTH_ERRORS.has(failure.error_code)) this.showFailure(failure); // the sign-in, not startup, failed
    } else if (!this.everReady && (state === State.CONNECTING || state === State.RECONNECTING)) {
      this.schedulePanel();
    }
  }

  renderStatusText() {
    const seconds = Math.max(0, Math.ceil((this.retryAt - Date.now()) / 1000));
    const waiting = this.retryAt > Date.now();
    let text;
    switch (this.state) {
      case State.CONNECTING:
        text = 'Connecting…';
        break;
      case State.INITIALIZING:
        text = this.progressValue === undefined ? 'Server starting…' : `Server starting · ${this.progressValue}%`;
        if (this.eta) text += ` · ${this.eta}`;
        break;
      case State.REINITIALIZING:
        text = `Reconnecting to ${dependencyName(this.lostPhase)}…`;
        if (this.eta) text += ` · ${this.eta}`;
        break;
      case State.READY:
        text = 'Connected';
        break;
      case State.ERROR:
        text = waiting ? `Unavailable · retrying in ${seconds} s` : 'Unavailable';
        break;
      case State.RECONNECTING:
        text = waiting ? `Reconnecting in ${seconds} s` : 'Reconnecting…';
        break;
      default:
        text = this.state;
    }
    this.el.statusText.textContent = text;
    if (!waiting && this.tick) {
      clearInterval(this.tick);
      this.tick = 0;
    }
  }

  /** First system_message of a connection. */
  onInitializing(payload) {
    const progress = clampProgress(payload.progress);
    if (payload.phase && progress !== undefined && progress < 100) {
      this.phases.set(payload.phase, 'pending');
    }
    if (progress === undefined || progress >= 100) {
      // Everything is ready already: `ready` follows at once, so no panel flashes up for it.
      this.setProgress(progress);
      return;
    }
    this.setProgress(progress);
    this.setEta(payload.eta_ms);
    this.el.title.textContent = this.panelTitle();
    this.el.phase.textContent = `Waiting for ${payload.phase}${this.countSuffix()}`;
    this.el.message.textContent = payload.message || '';
    this.renderPhases();
    this.showPanel();
    this.renderStatusText();
  }

  /**
   * A dependency was lost after ready: its phase failed and the phases after it wait again. The list starts afresh
   * at the lost phase (the ones before it stayed ready); progress frames add the phases as they come back.
   */
  onReinitializing(payload) {
    this.lostPhase = payload.phase || null;
    this.phases = new Map();
    if (payload.phase) this.phases.set(payload.phase, 'failed');
    this.done = null;
    this.setProgress(clampProgress(payload.progress));
    this.setEta(payload.eta_ms);
    this.el.title.textContent = this.panelTitle();
    this.el.phase.textContent = payload.phase ? `Waiting for ${payload.phase}` : 'Waiting for the server';
    this.el.message.textContent = payload.message || '';
    this.renderPhases();
    this.showPanel();
    this.renderStatusText();
  }

  /** One initialization_progress frame: a phase completed. */
  onProgress(payload) {
    if (Number.isFinite(payload.phases_total)) this.total = payload.phases_total;
    if (Number.isFinite(payload.phases_done)) this.done = payload.phases_done;
    if (payload.phase) this.phases.set(payload.phase, 'done');
    this.setProgress(clampProgress(payload.progress));
    this.setEta(payload.eta_ms);
    this.el.title.textContent = this.panelTitle();
    this.el.phase.textContent = `${payload.phase} ready${this.countSuffix()}`;
    this.el.message.textContent = payload.message || '';
    this.renderPhases();
    this.showPanel();
    this.renderStatusText();
  }

  onReady() {
    this.lostPhase = null;
    this.setEta(undefined);
    this.setProgress(100);
    this.el.panel.dataset.state = 'ready';
    this.el.title.textContent = 'Candor is ready';
    this.el.phase.textContent = this.total ? `All ${this.total} phases ready` : 'All phases ready';
    this.el.message.textContent = '';
    for (const [name, state] of this.phases) if (state !== 'done') this.phases.set(name, 'done');
    this.renderPhases();
    clearTimeout(this.panelTimer);
    this.panelTimer = 0;
    clearTimeout(this.hideTimer);
    this.hideTimer = this.el.panel.hidden ? 0 : setTimeout(() => {
      this.el.panel.hidden = true;
    }, 900);
  }

  /** Signed out: no connection, nothing to wait for. */
  signedOut() {
    clearInterval(this.tick);
    this.tick = 0;
    clearTimeout(this.panelTimer);
    this.panelTimer = 0;
    this.el.panel.hidden = true;
    this.el.status.dataset.state = 'signed-out';
    this.el.statusText.textContent = 'Not signed in';
  }

  showFailure(failure) {
    if (failure.phase) this.phases.set(failure.phase, 'failed');
    this.el.panel.dataset.state = 'error';
    this.setEta(undefined);
    if (failure.error_code !== 'SERVICE_INIT_FAILED') this.el.title.textContent = 'Candor is unavailable';
    else if (this.lostPhase) this.el.title.textContent = `Candor could not reconnect to ${dependencyName(this.lostPhase)}`;
    else this.el.title.textContent = 'Candor could not finish starting';
    this.el.phase.textContent = failure.phase ? `${failure.phase} failed` : (failure.error_code || 'Error');
    // The error banner carries the server's full message; the panel keeps to where startup stopped.
    this.el.message.textContent = '';
    this.renderPhases();
    this.showPanel();
  }

  setProgress(progress) {
    const bar = this.el.progress;
    this.progressValue = progress;
    if (progress === undefined) {
      bar.dataset.indeterminate = 'true';
      bar.removeAttribute('aria-valuenow');
      bar.removeAttribute('aria-valuetext');
      return;
    }
    delete bar.dataset.indeterminate;
    bar.setAttribute('aria-valuenow', String(progress));
    bar.setAttribute('aria-valuetext', `${progress}%`);
    this.el.fill.style.width = `${progress}%`;
  }

  /** Shows the server's estimate of the time left; hides it when the frame carried none. */
  setEta(etaMs) {
    this.eta = etaText(etaMs);
    const ready = this.lostPhase ? 'Ready again' : 'Ready';
    this.el.eta.textContent = this.eta ? `${ready} in ${this.eta} (the server's estimate)` : '';
    this.el.eta.hidden = !this.eta;
  }

  panelTitle() {
    if (this.state === State.REINITIALIZING || this.lostPhase) return `Reconnecting to ${dependencyName(this.lostPhase)}…`;
    return this.everReady ? 'Candor is getting ready again' : 'Candor is starting up';
  }

  countSuffix() {
    return this.total && this.done !== null ? ` · ${this.done} of ${this.total} phases ready` : '';
  }

  renderPhases() {
    const list = clear(this.el.phaseList);
    for (const [name, state] of this.phases) {
      const label = { done: 'ready', pending: 'in progress', failed: 'failed' }[state];
      list.append(h('li', { class: 'phase', dataset: { state } },
        h('span', { class: 'phase-mark', 'aria-hidden': 'true', text: { done: '✓', pending: '…', failed: '!' }[state] }),
        h('span', { class: 'phase-name', text: name }),
        h('span', { class: 'visually-hidden', text: ` ${label}` })));
    }
    list.hidden = this.phases.size === 0;
  }

  schedulePanel() {
    if (!this.el.panel.hidden || this.panelTimer) return;
    this.panelTimer = setTimeout(() => {
      this.panelTimer = 0;
      if (this.state === State.CONNECTING || this.state === State.RECONNECTING) {
        this.el.title.textContent = 'Connecting to Candor…';
        this.showPanel();
      }
    }, PANEL_DELAY_MS);
  }

  showPanel() {
    clearTimeout(this.hideTimer);
    if (this.el.panel.dataset.state === 'ready' && this.state !== State.READY) delete this.el.panel.dataset.state;
    if (this.state === State.ERROR) this.el.panel.dataset.state = 'error';
    else if (this.el.panel.dataset.state === 'error') delete this.el.panel.dataset.state;
    this.el.panel.hidden = false;
  }
}

function clampProgress(value) {
  return Number.isFinite(value) ? Math.max(0, Math.min(100, Math.round(value))) : undefined;
}
