/*
 * connection.js: the chat WebSocket and its lifecycle.
 *
 * ChatConnection opens ws(s)://<page origin and path>/ws/chat, follows the server's startup handshake
 * (initializing -> initialization_progress* -> ready, or an error followed by a close) and reconnects by itself:
 * after SERVICE_INIT_FAILED it waits the server's retry_after_ms, otherwise it backs off exponentially with jitter
 * (0.5 s doubling to 15 s). While connected it pings every 25 s and treats a missing answer as a dead connection.
 *
 * After ready the server may report a lost dependency with `reinitializing`: the socket stays open (state
 * reinitializing), progress frames follow, then `ready` again on the same socket, or an error and a close. While
 * reinitializing, stop_run, resume and ping still go through (`connected`); user messages wait for `ready`.
 *
 * Signed in (option `ticket`), every socket, reconnects included, opens with a fresh single-use ticket
 * (/ws/chat?ticket=...). A refused credential (AUTH_FAILED or FORBIDDEN, then close 1008; also a sign-in that expired
 * on an open socket, or a ticket request answered 401/403) is not retried blindly: the connection waits in state
 * error and emits `authfailed`; the page renews the token and calls reconnectNow(), or asks the user to sign in.
 * reauthenticate(token) hands a renewed token to the open socket so it outlives the old token.
 *
 * Events (CustomEvent, details in brackets):
 *   statechange    {state, previous, retryAt, failure, closeCode, again}
 *                  state: connecting|initializing|ready|reinitializing|error|reconnecting; again: a `ready` on a socket
 *                  that had been ready before (it was reinitializing; nothing of it was lost)
 *   initializing   {payload}   the first system_message of a connection
 *   reinitializing {payload}   a dependency was lost after ready
 *   progress       {payload}   one initialization_progress frame
 *   ready          {payload}   the connection may now send user frames
 *   frame          {frame}     every other server frame (run events, errors, duplicate_message, ...)
 *   authfailed     {failure, closeCode}  the credential was refused (see above); nothing reconnects by itself
 *   reauthenticated {payload}  the server took a renewed token (payload.expires_in)
 */

export const State = Object.freeze({
  CONNECTING: 'connecting',
  INITIALIZING: 'initializing',
  READY: 'ready',
  REINITIALIZING: 'reinitializing',
  ERROR: 'error',
  RECONNECTING: 'reconnecting',
});

const MIN_CAPACITY_RETRY_MS = 5000;

/** Refusals of the credential: the server closes 1008 right after them (except for a bad `reauthenticate`). */
export const AUTH_ERRORS = new Set(['AUTH_FAILED', 'FORBIDDEN']);

const POLICY_VIOLATION = 1008;

/** Error codes that end the handshake: the server closes the socket right after them. */
export const HANDSHAKE_ERRORS = new Set(['SERVICE_INIT_FAILED', 'SERVICE_UNAVAILABLE', 'TOO_MANY_CONNECTIONS',
  'AUTH_FAILED', 'FORBIDDEN']);

/** The chat endpoint next to the page, with ws: or wss: to match http: or https:. */
export function chatSocketUrl(base = document.baseURI) {
  const url = new URL('ws/chat', base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.hash = '';
  url.search = '';
  return url.href;
}

export class ChatConnection extends EventTarget {
  constructor({
    url = chatSocketUrl(),
    ticket = null, // async () => a ticket for the next socket, or null to connect without one (no sign-in)
    initialBackoffMs = 500,
    maxBackoffMs = 15000,
    heartbeatMs = 25000,
    pongTimeoutMs = 10000,
  } = {}) {
    super();
    this.url = url;
    this.ticket = ticket;
    this.generation = 0; // each open() and stop() starts a new one: a ticket that arrives late is not used
    this.initialBackoffMs = initialBackoffMs;
    this.maxBackoffMs = maxBackoffMs;
    this.heartbeatMs = heartbeatMs;
    this.pongTimeoutMs = pongTimeoutMs;
    this.state = State.CONNECTING;
    this.socket = null;
    this.attempt = 0; // consecutive connections that did not reach ready
    this.everReady = false;
    this.socketWasReady = false; // the current socket has had `ready`
    this.failure = null; // the handshake error of the current socket, if any
    this.retryAt = 0;
    this.retryTimer = 0;
    this.heartbeatTimer = 0;
    this.pongTimer = 0;
    this.connectionId = null;
    this.userId = null;
    window.addEventListener('online', () => {
      if (this.retryTimer) this.reconnectNow();
    });
  }

  get ready() {
    return this.state === State.READY && this.socket?.readyState === WebSocket.OPEN;
  }

  /** Ready, or reinitializing on a socket that was ready: stop_run, resume and ping still work. */
  get connected() {
    return (this.state === State.READY || this.state === State.REINITIALIZING)
      && this.socket?.readyState === WebSocket.OPEN;
  }

  /** Opens the first connection. */
  start() {
    this.open();
  }

  /** Skips the remaining wait of a scheduled reconnect (or forces a new socket). */
  reconnectNow() {
    clearTimeout(this.retryTimer);
    this.retryTimer = 0;
    if (this.socket) this.drop('reconnect requested');
    this.open();
  }

  /** Closes the connection for good (signed out): no reconnect until reconnectNow(). */
  stop() {
    this.generation++;
    clearTimeout(this.retryTimer);
    this.retryTimer = 0;
    if (this.socket) this.drop('signed out');
  }

  /** Hands a renewed access token to the open socket (any state): it then lives until that token expires. */
  reauthenticate(token) {
    if (!token || this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify({ type: 'reauthenticate', payload: { token } }));
    return true;
  }

  /**
   * Sends a client frame. Returns false (and sends nothing) unless the connection is connected; a user_message only
   * when it is ready (the server would refuse it with NOT_READY).
   */
  send(frame) {
    if (!(frame.type === 'user_message' ? this.ready : this.connected)) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  // ---- internals ---------------------------------------------------------------------------------------------------

  async open() {
    const generation = ++this.generation;
    this.failure = null;
    this.retryAt = 0;
    this.socketWasReady = false;
    this.setState(this.everReady || this.attempt > 0 ? State.RECONNECTING : State.CONNECTING);
    let url = this.url;
    if (this.ticket) {
      let ticket;
      try {
        ticket = await this.ticket();
      } catch (error) {
        if (generation !== this.generation) return;
        // 401/403: the sign-in is gone or not allowed here; anything else (network, 503): retry with backoff
        if (error?.status === 401 || error?.status === 403) this.failure = { error_code: error.code, message: error.message };
        this.onClosed(null, { code: this.failure ? POLICY_VIOLATION : 1006, reason: String(error?.message ?? error) });
        return;
      }
      if (generation !== this.generation) return; // reconnectNow() or stop() while the ticket was on its way
      if (ticket) {
        const withTicket = new URL(url);
        withTicket.searchParams.set('ticket', ticket);
        url = withTicket.href;
      }
    }
    let socket;
    try {
      socket = new WebSocket(url);
    } catch (error) {
      this.onClosed(socket, { code: 1006, reason: String(error) });
      return;
    }
    this.socket = socket;
    socket.addEventListener('message', (event) => {
      if (socket === this.socket) this.onMessage(event.data);
    });
    socket.addEventListener('close', (event) => {
      if (socket === this.socket) this.onClosed(socket, event);
    });
  }

  onMessage(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      console.warn('candor: ignoring a frame that is not JSON', data);
      return;
    }
    if (!frame || typeof frame.type !== 'string') return;
    clearTimeout(this.pongTimer); // any frame proves the connection is alive
    this.pongTimer = 0;
    const payload = frame.payload && typeof frame.payload === 'object' ? frame.payload : {};
    if (frame.type === 'system_message') {
      this.onSystemMessage(payload);
    } else if (frame.type === 'pong') {
      /* heartbeat answered */
    } else {
      // Before ready, or when reinitializing did not finish in time: the server closes the socket next.
      if (frame.type === 'error' && HANDSHAKE_ERRORS.has(payload.error_code) && this.state !== State.READY) {
        this.failure = payload;
        this.setState(State.ERROR);
      } else if (frame.type === 'error' && AUTH_ERRORS.has(payload.error_code)) {
        // After ready: the sign-in expired (a close 1008 follows) or a reauthenticate was refused (the socket stays)
        this.failure = payload;
      }
      this.emit('frame', { frame: { ...frame, payload } });
    }
  }

  onSystemMessage(payload) {
    switch (payload.event) {
      case 'initializing':
        this.setState(State.INITIALIZING);
        this.emit('initializing', { payload });
        break;
      case 'reinitializing':
        this.setState(State.REINITIALIZING);
        this.emit('reinitializing', { payload });
        break;
      case 'initialization_progress':
        if (this.state !== State.INITIALIZING && this.state !== State.REINITIALIZING) this.setState(State.INITIALIZING);
        this.emit('progress', { payload });
        break;
      case 'reauthenticated':
        if (this.failure && AUTH_ERRORS.has(this.failure.error_code)) this.failure = null;
        this.emit('reauthenticated', { payload });
        break;
      case 'ready': {
        const again = this.socketWasReady;
        this.attempt = 0;
        this.everReady = true;
        this.socketWasReady = true;
        this.connectionId = payload.connection_id ?? null;
        this.userId = payload.user_id ?? null;
        this.startHeartbeat();
        this.setState(State.READY, { again });
        this.emit('ready', { payload, again });
        break;
      }
      default:
        break;
    }
  }

  onClosed(socket, event) {
    this.socket = null;
    this.stopHeartbeat();
    const failure = this.failure;
    if (this.ticket && (event?.code === POLICY_VIOLATION || AUTH_ERRORS.has(failure?.error_code))) {
      clearTimeout(this.retryTimer);
      this.retryTimer = 0;
      this.retryAt = 0;
      this.setState(State.ERROR, { closeCode: event?.code ?? 1006, auth: true });
      this.emit('authfailed', { failure, closeCode: event?.code ?? 1006 });
      return;
    }
    let delay;
    if (failure && Number.isFinite(failure.retry_after_ms) && failure.retry_after_ms > 0) {
      delay = Math.max(failure.retry_after_ms, this.backoff() / 2);
    } else {
      delay = this.backoff();
    }
    // "Try again later" (close 1013, server at capacity): do not come back within seconds.
    if (failure?.error_code === 'TOO_MANY_CONNECTIONS' || event?.code === 1013) delay = Math.max(delay, MIN_CAPACITY_RETRY_MS);
    this.attempt++;
    this.retryAt = Date.now() + delay;
    this.setState(failure ? State.ERROR : State.RECONNECTING, { closeCode: event?.code ?? 1006 });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = 0;
      this.open();
    }, delay);
  }

  /** Exponential backoff with "equal jitter": between half and all of min(max, initial * 2^attempt). */
  backoff() {
    const ceiling = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** Math.min(this.attempt, 16));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  /** Abandons the current socket at once (its late events are ignored) and treats it as closed. */
  drop(reason) {
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    try {
      socket.close(4000, reason.slice(0, 100));
    } catch {
      /* already closing */
    }
    this.stopHeartbeat();
  }

  startHeartbeat() {
    this.stopHeartbeat();
    this.heartbeatTimer = setInterval(() => {
      if (!this.connected) return;
      this.socket.send(JSON.stringify({ type: 'ping' }));
      clearTimeout(this.pongTimer);
      this.pongTimer = setTimeout(() => {
        const socket = this.socket;
        this.drop('no answer to ping');
        this.onClosed(socket, { code: 4000, reason: 'no answer to ping' });
      }, this.pongTimeoutMs);
    }, this.heartbeatMs);
  }

  stopHeartbeat() {
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.pongTimer);
    this.heartbeatTimer = 0;
    this.pongTimer = 0;
  }

  setState(state, extra = {}) {
    const previous = this.state;
    this.state = state;
    this.emit('statechange', { state, previous, retryAt: this.retryAt, failure: this.failure, ...extra });
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
