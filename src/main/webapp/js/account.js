/*
 * account.js: the sign-in corner of the top bar (#account). It shows who is chatting ("No sign-in" when Candor runs
 * without authentication, the signed-in user's name, or "Signed out") with Sign in / Sign out buttons.
 */

import { AuthState } from './auth.js';

export class AccountView {
  constructor({ root, name, signIn, signOut }, auth) {
    this.el = { root, name, signIn, signOut };
    signIn.addEventListener('click', () => auth.signIn());
    signOut.addEventListener('click', () => auth.signOut());
  }

  render(state, displayName) {
    const { root, name, signIn, signOut } = this.el;
    root.dataset.state = state;
    root.hidden = state === AuthState.LOADING;
    switch (state) {
      case AuthState.NONE:
        name.textContent = 'No sign-in';
        name.title = 'Candor runs without sign-in (candor.auth.mode=none): everyone is the same local user';
        break;
      case AuthState.SIGNED_IN:
        name.textContent = displayName;
        name.title = `Signed in as ${displayName}`;
        break;
      case AuthState.SIGNED_OUT:
        name.textContent = 'Signed out';
        name.title = '';
        break;
      case AuthState.REDIRECTING:
        name.textContent = 'Redirecting…';
        name.title = '';
        break;
      default:
        name.textContent = '';
    }
    signIn.hidden = state !== AuthState.SIGNED_OUT;
    signOut.hidden = state !== AuthState.SIGNED_IN;
  }
}
