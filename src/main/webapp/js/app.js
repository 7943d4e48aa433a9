/*
 * app.js: entry point. Builds the components and wires them together:
 *   ChatConnection (connection.js)  -> StatusView (status.js), Banner (banner.js), ChatController (chat.js)
 *   Composer (composer.js)          -> ChatController.send / stop
 *   ThreadList (threads.js)         <-> ChatController (open / new / delete) and the URL hash (#/thread/<id>)
 *   Sidebar (sidebar.js)            collapsible column, drawer on narrow screens
 *   Auth (auth.js)                  the mode from api/client-config; with oidc the sign-in, whose tokens sign every
 *                                   REST call (api.js) and every socket's ticket; AccountView (account.js) shows it
 * The connection starts once the page knows who it chats as: at once without sign-in, else once signed in.
 */

import { ChatConnection, State, AUTH_ERRORS } from './connection.js';
import { Auth, AuthState } from './auth.js';
import { AccountView } from './account.js';
import { useAuth, ticketApi } from './api.js';
import { StatusView, dependencyName } from './status.js';
import { Banner } from './banner.js';
import { Composer } from './composer.js';
import { ConversationView } from './conversation.js';
import { ThreadList } from './threads.js';
import { ChatController } from './chat.js';
import { Sidebar } from './sidebar.js';

const $ = (id) => document.getElementById(id);

/** Banners the connection owns: cleared as soon as the connection is ready again. */
const CONNECTION_ERRORS = ['CONNECTION_LOST', 'SERVICE_INIT_FAILED', 'SERVICE_UNAVAILABLE', 'TOO_MANY_CONNECTIONS',
  'AUTH_FAILED', 'FORBIDDEN', 'NOT_READY'];

/** States in which the socket is open and has had `ready`: runs stream, stop_run and resume work. */
const CONNECTED = new Set([State.READY, State.REINITIALIZING]);

const HANDSHAKE_TITLES = {
  // After reinitializing the failure names what could not be brought back; at boot, the phase that failed.
  SERVICE_INIT_FAILED: (p) => (status.lostPhase
    ? `Candor could not reconnect to ${dependencyName(p.phase || status.lostPhase)}`
    : `Candor could not finish starting${p.phase ? ` (phase ${p.phase} failed)` : ''}`),
  SERVICE_UNAVAILABLE: () => 'Candor is temporarily unavailable',
  TOO_MANY_CONNECTIONS: () => 'Candor is at capacity right now',
  AUTH_FAILED: () => 'You are not signed in',
  FORBIDDEN: () => 'You are not allowed to chat here',
};

function announce(text) {
  const region = $('sr-status');
  region.textContent = '';
  setTimeout(() => {
    region.textContent = text;
  }, 60);
}

const banner = new Banner($('error-banner'));
const auth = new Auth();
const account = new AccountView({
  root: $('account'), name: $('account-name'), signIn: $('sign-in-button'), signOut: $('sign-out-button'),
}, auth);
const connection = new ChatConnection();
const status = new StatusView({
  status: $('connection-status'),
  statusText: $('connection-status').querySelector('.status-text'),
  panel: $('init-panel'),
  title: $('init-title'),
  progress: $('progress'),
  fill: $('progress').querySelector('.progress-fill'),
  phase: $('progress-phase'),
  eta: $('progress-eta'),
  message: $('progress-message'),
  phaseList: $('phase-list'),
});
const composer = new Composer({
  form: $('composer'),
  input: $('composer-input'),
  sendButton: $('send-button'),
  stopButton: $('stop-button'),
  counter: $('composer-counter'),
});
const view = new ConversationView({
  scroller: $('conversation'),
  list: $('messages'),
  emptyState: $('empty-state'),
  statusLine: $('conversation-status'),
  jumpButton: $('jump-button'),
});
const sidebar = new Sidebar({
  app: $('app'),
  sidebar: $('sidebar'),
  main: $('main'),
  toggle: $('sidebar-toggle'),
  closeButton: $('sidebar-close'),
  backdrop: $('backdrop'),
});
const threads = new ThreadList({
  list: $('thread-list'),
  status: $('thread-list-status'),
  loadMore: $('load-more-threads'),
  onOpen: (id) => {
    navigate(id);
    sidebar.close();
    composer.focus();
  },
  onDeleted: (id) => chat.threadDeleted(id),
  onRenamed: (thread) => setTitle(thread.title),
  onError: ({ code, title, message }) => {
    if (auth.state !== AuthState.SIGNED_OUT) banner.show({ code: code || 'ERROR', title, message });
  },
});
const chat = new ChatController({ connection, view, composer, threads, banner, announce });

// ---- routing: #/thread/<id> is the open conversation; no hash is a new one -------------------------------------------

function routeThreadId() {
  const match = /^#\/thread\/(.+)$/.exec(location.hash);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

function navigate(threadId) {
  if (threadId) {
    const hash = `#/thread/${encodeURIComponent(threadId)}`;
    if (location.hash === hash) chat.openThread(threadId, { force: true });
    else location.hash = hash; // hashchange opens it
  } else {
    if (location.hash) history.pushState(null, '', location.pathname + location.search);
    chat.newThread();
  }
}

function route() {
  const id = routeThreadId();
  if (id) chat.openThread(id);
  else if (chat.currentThreadId !== null) chat.newThread();
}

function setTitle(title) {
  $('thread-title').textContent = title || 'New conversation';
  document.title = title ? `${title} · Candor` : 'Candor';
}

window.addEventListener('hashchange', route);

chat.addEventListener('threadchange', ({ detail }) => {
  threads.select(detail.threadId);
  setTitle(detail.threadId ? detail.title ?? threads.get(detail.threadId)?.title : null);
  // Keep the address in step without a new history entry: a new thread got its id, or the open one was deleted.
  if (routeThreadId() !== detail.threadId) {
    const hash = detail.threadId ? `#/thread/${encodeURIComponent(detail.threadId)}` : '';
    history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
  }
});

$('new-thread-button').addEventListener('click', () => {
  navigate(null);
  sidebar.close();
  composer.focus();
});

composer.addEventListener('send', ({ detail }) => {
  if (chat.send(detail.content)) {
    composer.clear();
    composer.focus();
  }
});
composer.addEventListener('stop', () => chat.stop());

// ---- connection ------------------------------------------------------------------------------------------------------

let routed = false;

connection.addEventListener('statechange', ({ detail }) => {
  const { state, previous, failure, retryAt, again } = detail;
  status.onState(detail);
  // While reinitializing a message can still be sent: it waits in the page until ready (chat.js).
  composer.setReady(CONNECTED.has(state), placeholderFor(state));
  if (CONNECTED.has(previous) && !CONNECTED.has(state)) chat.onDisconnected();

  if (state === State.READY) {
    $('connection-status').title = `Connection ${connection.connectionId ?? ''} · user ${connection.userId ?? ''}`;
    banner.clear(CONNECTION_ERRORS);
    announce(again ? 'Candor is ready again' : 'Connected to Candor');
    chat.onReady({ again });
    threads.refresh();
    if (!routed) {
      routed = true;
      route();
    }
    focusComposerIfIdle();
  } else if (state === State.ERROR && failure && !AUTH_ERRORS.has(failure.error_code)) {
    showHandshakeError(failure, retryAt); // a refused sign-in goes to 'authfailed' below
  } else if (state === State.RECONNECTING && retryAt > Date.now()) {
    banner.show({
      code: 'CONNECTION_LOST',
      kind: 'warning',
      title: connection.everReady ? 'Connection lost' : 'Candor cannot be reached',
      message: connection.everReady
        ? 'Reconnecting automatically. Answers in progress keep running on the server and continue here.'
        : 'The server did not answer. Trying again automatically.',
      countdownTo: retryAt,
      countdownLabel: 'Reconnecting',
      actions: [{ label: 'Reconnect now', primary: true, className: 'banner-retry', onClick: () => connection.reconnectNow() }],
      dismissible: false,
    });
  }
});

function showHandshakeError(failure, retryAt) {
  const code = failure.error_code;
  // retryAt is known once the server closed the socket; until then estimate it from retry_after_ms.
  const at = retryAt > Date.now() ? retryAt
    : Number.isFinite(failure.retry_after_ms) ? Date.now() + failure.retry_after_ms : 0;
  banner.show({
    code,
    title: (HANDSHAKE_TITLES[code] ?? (() => 'Candor is unavailable'))(failure),
    message: failure.message,
    reference: failure.correlation_id,
    countdownTo: at || undefined,
    countdownLabel: 'Retrying automatically',
    actions: [{ label: 'Retry now', primary: true, className: 'banner-retry', onClick: () => connection.reconnectNow() }],
    dismissible: false,
  });
}

function placeholderFor(state) {
  switch (state) {
    case State.READY: return 'Message Candor';
    case State.INITIALIZING: return 'Candor is starting up… you can type already';
    case State.REINITIALIZING: return 'Candor is reconnecting… a message you send goes out once it is ready';
    case State.ERROR: return 'Candor is unavailable… you can type already';
    case State.RECONNECTING: return 'Reconnecting… you can type already';
    default: return 'Connecting…';
  }
}

/**
 * After ready: put the cursor in the message box, unless the user is somewhere else on purpose (renaming a thread,
 * in the drawer, on a button). Focus on the page itself or on a control that just went away (Retry now) moves.
 */
function focusComposerIfIdle() {
  const active = document.activeElement;
  const idle = !active || active === document.body || active === composer.input
    || Boolean(active.closest('#error-banner, #init-panel'));
  if (idle && !(sidebar.narrow && sidebar.open)) composer.focus();
}

connection.addEventListener('initializing', ({ detail }) => status.onInitializing(detail.payload));
connection.addEventListener('reinitializing', ({ detail }) => {
  status.onReinitializing(detail.payload);
  announce(`Candor is reconnecting to ${dependencyName(detail.payload.phase)}. Answers already streaming continue.`);
});
connection.addEventListener('progress', ({ detail }) => {
  status.onProgress(detail.payload);
  // Startup is moving again: the earlier failure is history (a new one would bring its own banner).
  banner.clear(CONNECTION_ERRORS);
});
connection.addEventListener('ready', () => status.onReady());
connection.addEventListener('frame', ({ detail }) => chat.handleFrame(detail.frame));

// ---- sign-in ---------------------------------------------------------------------------------------------------------

useAuth({ token: () => auth.token(), renew: () => auth.renew(), ended: (message) => auth.ended(message) });

/** A refused credential is renewed silently once per connection; if that does not help, the user signs in again. */
let renewedForSocket = false;
connection.addEventListener('ready', () => {
  renewedForSocket = false;
});

connection.addEventListener('authfailed', async ({ detail }) => {
  const failure = detail.failure ?? {};
  if (failure.error_code === 'FORBIDDEN') {
    banner.show({
      code: 'FORBIDDEN',
      title: HANDSHAKE_TITLES.FORBIDDEN(),
      message: failure.message,
      actions: [
        { label: 'Sign out', primary: true, className: 'banner-sign-out', onClick: () => auth.signOut() },
        { label: 'Retry now', className: 'banner-retry', onClick: () => connection.reconnectNow() },
      ],
      dismissible: false,
    });
    return;
  }
  if (auth.state !== AuthState.SIGNED_IN) return;
  if (!renewedForSocket && await auth.renew()) {
    renewedForSocket = true;
    connection.reconnectNow(); // with a ticket of the renewed token
    return;
  }
  auth.ended(failure.message || 'Your sign-in has ended.');
});

// A renewed token keeps the open socket past the old token's expiry
auth.addEventListener('tokenchange', ({ detail }) => connection.reauthenticate(detail.token));

auth.addEventListener('statechange', ({ detail }) => {
  account.render(detail.state, auth.displayName);
  switch (detail.state) {
    case AuthState.NONE:
      connection.start();
      break;
    case AuthState.SIGNED_IN:
      connection.ticket = async () => (await ticketApi.issue()).ticket;
      connection.start();
      break;
    case AuthState.SIGNED_OUT:
      signedOut(detail.message);
      break;
    default:
      break;
  }
});

function signedOut(message) {
  const wasConnected = CONNECTED.has(connection.state);
  connection.stop();
  status.signedOut();
  composer.setReady(false, 'Sign in to chat');
  if (wasConnected) chat.onDisconnected();
  banner.show({
    code: 'SIGNED_OUT',
    kind: 'warning',
    title: 'You are signed out',
    message: message ? `${message} Sign in to chat.` : 'Sign in to chat.',
    actions: [{ label: 'Sign in', primary: true, className: 'banner-sign-in', onClick: () => auth.signIn() }],
    dismissible: false,
  });
}

// A conversation in the address is opened once the server is ready; until then say that it is coming.
if (routeThreadId()) view.showLoading();
auth.start().catch((error) => {
  banner.show({
    code: 'CLIENT_CONFIG',
    title: 'Candor could not load its sign-in settings',
    message: error?.message ?? String(error),
    actions: [{ label: 'Reload', primary: true, className: 'banner-retry', onClick: () => location.reload() }],
    dismissible: false,
  });
});
