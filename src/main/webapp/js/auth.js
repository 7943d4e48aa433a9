/*
 * auth.js: who the page chats as. GET api/client-config names the mode:
 *   none  one local user, no sign-in (state `none`);
 *   oidc  OpenID Connect with oidc-client-ts (js/vendor/oidc-client-ts, window.oidc): authorization code flow with
 *         PKCE (S256) as a public client. The page redirects to the provider, comes back with ?code=&state= and
 *         exchanges the code; tokens live in this tab's sessionStorage. Before the access token expires it is
 *         renewed silently with the refresh token (automaticSilentRenew; no iframe: no silent_redirect_uri), and
 *         `tokenchange` tells the page so it can hand the new token to the open WebSocket. Sign-out ends the session
 *         at the provider (end_session_endpoint) and comes back signed out.
 *
 * A first visit without a session goes straight to the provider. After a sign-out, a failed sign-in or an ended
 * session (ended()), the page stays here in state `signed-out` and the user signs in with a button, so there is
 * never a redirect loop.
 *
 * Events: statechange {state, user, message}  state: loading | none | signed-in | signed-out | redirecting
 *         tokenchange {token}                  a renewed access token
 */

import { clientConfigApi } from './api.js';

export const AuthState = Object.freeze({
  LOADING: 'loading',
  NONE: 'none',
  SIGNED_IN: 'signed-in',
  SIGNED_OUT: 'signed-out',
  REDIRECTING: 'redirecting',
});

/** Set by signOut(), cleared by signIn(): the page came back from the provider's sign-out and must not sign in. */
const SIGNED_OUT_KEY = 'candor.signedOut';

export class Auth extends EventTarget {
  constructor() {
    super();
    this.state = AuthState.LOADING;
    this.manager = null;
    this.user = null;
    this.renewing = null;
  }

  get oidc() {
    return this.manager !== null;
  }

  /** The name to show: preferred_username, else name, else the subject. */
  get displayName() {
    const profile = this.user?.profile ?? {};
    return profile.preferred_username || profile.name || profile.sub || '';
  }

  /** Reads the mode, finishes a redirect back from the provider, and signs in (or settles on signed out). */
  async start() {
    const config = await clientConfigApi.get();
    if (config?.auth_mode !== 'oidc') {
      this.setState(AuthState.NONE);
      return;
    }
    if (!window.oidc?.UserManager) throw new Error('the OpenID Connect client (js/vendor/oidc-client-ts) did not load');
    const here = new URL(location.pathname, location.origin).href;
    this.manager = new window.oidc.UserManager({
      authority: config.issuer,
      client_id: config.client_id,
      scope: config.scope || 'openid profile',
      redirect_uri: here,
      post_logout_redirect_uri: here,
      response_type: 'code',
      automaticSilentRenew: true,
      loadUserInfo: false,
      monitorSession: false,
      userStore: new window.oidc.WebStorageStateStore({ store: window.sessionStorage }),
    });
    // userLoaded: a sign-in or a silent renewal; only the latter matters to the open socket
    this.manager.events.addUserLoaded((user) => {
      const renewed = this.state === AuthState.SIGNED_IN;
      this.user = user;
      if (renewed) this.emit('tokenchange', { token: user.access_token });
    });
    this.manager.events.addSilentRenewError((error) => console.warn('candor: silent token renewal failed', error));

    const params = new URLSearchParams(location.search);
    if (params.has('state') && (params.has('code') || params.has('error'))) {
      try {
        const user = await this.manager.signinRedirectCallback();
        this.leaveCallback(user.state?.hash);
      } catch (error) {
        this.leaveCallback();
        this.ended(`Signing in did not complete: ${error?.message ?? error}`);
        return;
      }
    } else if (params.has('state')) {
      await this.manager.signoutRedirectCallback().catch(() => {});
      this.leaveCallback();
    }

    let user = await this.manager.getUser();
    if (user?.expired) user = (await this.renew()) ? this.user : null;
    if (user) {
      this.signedIn(user);
    } else if (sessionStorage.getItem(SIGNED_OUT_KEY)) {
      this.setState(AuthState.SIGNED_OUT, { message: 'You signed out.' });
    } else {
      await this.signIn();
    }
  }

  /** The access token for the next call: renewed first when it has expired; null without sign-in. */
  async token() {
    if (!this.oidc || this.state !== AuthState.SIGNED_IN) return null;
    if (this.user?.expired) await this.renew();
    return this.user?.access_token ?? null;
  }

  /** One silent renewal (refresh token) at a time; true when it brought a new token. */
  renew() {
    if (!this.oidc) return Promise.resolve(false);
    this.renewing ??= this.manager.signinSilent()
      .then((user) => {
        this.user = user;
        return Boolean(user);
      }, (error) => {
        console.warn('candor: silent token renewal failed', error);
        return false;
      })
      .finally(() => {
        this.renewing = null;
      });
    return this.renewing;
  }

  /** The sign-in is over (refused and not renewable): ask the user to sign in again. */
  ended(message) {
    if (!this.oidc || this.state === AuthState.SIGNED_OUT || this.state === AuthState.REDIRECTING) return;
    this.user = null;
    this.manager.removeUser().catch(() => {});
    this.setState(AuthState.SIGNED_OUT, { message: message || 'Your sign-in has ended.' });
  }

  /** To the provider's sign-in page; back here with the conversation in the address. */
  async signIn() {
    sessionStorage.removeItem(SIGNED_OUT_KEY);
    this.setState(AuthState.REDIRECTING);
    await this.manager.signinRedirect({ state: { hash: location.hash } });
  }

  /** Ends the session at the provider (it sends the browser back here, signed out). */
  async signOut() {
    sessionStorage.setItem(SIGNED_OUT_KEY, '1');
    this.setState(AuthState.REDIRECTING);
    try {
      await this.manager.signoutRedirect();
    } catch (error) {
      // The provider has no end-session endpoint or cannot be reached: forget the tokens here at least
      console.warn('candor: sign-out at the provider failed', error);
      await this.manager.removeUser().catch(() => {});
      this.user = null;
      this.setState(AuthState.SIGNED_OUT, { message: 'You signed out here; the provider could not be reached.' });
    }
  }

  signedIn(user) {
    this.user = user;
    sessionStorage.removeItem(SIGNED_OUT_KEY);
    this.setState(AuthState.SIGNED_IN);
  }

  /** Drops ?code=&state= (or the sign-out's ?state=) from the address, keeping the conversation's #hash. */
  leaveCallback(hash = '') {
    const safeHash = typeof hash === 'string' && hash.startsWith('#') ? hash : '';
    history.replaceState(null, '', `${location.pathname}${safeHash}`);
  }

  setState(state, { message } = {}) {
    this.state = state;
    this.emit('statechange', { state, user: this.user, message });
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
