/*
 * sidebar.js: shows and hides the conversations sidebar. On wide screens it is a column that #sidebar-toggle
 * collapses (remembered in localStorage); below 768 px it is a drawer over the chat with a backdrop, closed by
 * Escape, the backdrop or picking a conversation. A hidden sidebar is inert, and so is the chat behind an open
 * drawer, so keyboard focus never lands on something out of sight.
 */

const STORAGE_KEY = 'candor.sidebar';

export class Sidebar {
  constructor({ app, sidebar, main, toggle, closeButton, backdrop, query = '(max-width: 767px)' }) {
    Object.assign(this, { app, sidebar, main, toggle, backdrop });
    this.media = window.matchMedia(query);
    this.drawerOpen = false;
    this.columnOpen = readPreference();
    toggle.addEventListener('click', () => this.toggleOpen());
    backdrop.addEventListener('click', () => this.close({ restoreFocus: true }));
    closeButton.addEventListener('click', () => this.close({ restoreFocus: true }));
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.narrow && this.drawerOpen) {
        event.preventDefault();
        this.close({ restoreFocus: true });
      }
    });
    this.media.addEventListener('change', () => {
      this.drawerOpen = false;
      this.apply();
    });
    this.apply();
  }

  get narrow() {
    return this.media.matches;
  }

  get open() {
    return this.narrow ? this.drawerOpen : this.columnOpen;
  }

  toggleOpen() {
    if (this.narrow) {
      this.drawerOpen = !this.drawerOpen;
    } else {
      this.columnOpen = !this.columnOpen;
      writePreference(this.columnOpen);
    }
    this.apply();
    // After the style change has applied: a drawer that is still visibility:hidden cannot take focus.
    if (this.open) requestAnimationFrame(() => this.sidebar.querySelector('#new-thread-button')?.focus());
  }

  /** Closes the drawer (narrow screens only; the wide column stays as the user left it). */
  close({ restoreFocus = false } = {}) {
    if (!this.narrow || !this.drawerOpen) return;
    this.drawerOpen = false;
    this.apply();
    if (restoreFocus) this.toggle.focus();
  }

  apply() {
    const open = this.open;
    this.app.dataset.sidebar = open ? 'open' : 'collapsed';
    this.app.dataset.layout = this.narrow ? 'narrow' : 'wide';
    this.toggle.setAttribute('aria-expanded', String(open));
    this.toggle.setAttribute('aria-label', open ? 'Hide conversations' : 'Show conversations');
    this.toggle.title = open ? 'Hide conversations' : 'Show conversations';
    this.sidebar.inert = !open;
    this.main.inert = this.narrow && open;
    this.backdrop.hidden = !(this.narrow && open);
  }
}

function readPreference() {
  try {
    return localStorage.getItem(STORAGE_KEY) !== 'collapsed';
  } catch {
    return true;
  }
}

function writePreference(open) {
  try {
    localStorage.setItem(STORAGE_KEY, open ? 'open' : 'collapsed');
  } catch {
    /* storage disabled: the choice lasts for this page only */
  }
}
