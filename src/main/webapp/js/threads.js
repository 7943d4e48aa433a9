/*
 * threads.js: the conversations sidebar (#thread-list), backed by the threads REST API.
 * Lists threads most recently updated first (paged with "Load more"), opens one on click, renames inline
 * (Enter saves, Escape cancels) and deletes after an inline confirmation. Items are keyed by thread id and reused
 * across refreshes, so a rename in progress or the keyboard focus survive live updates.
 *
 * Callbacks: onOpen(id), onDeleted(id), onRenamed(thread), onError({code, title, message}).
 */

import { h, clear, relativeTime, fullTime } from './dom.js';
import { threadsApi } from './api.js';
import { icon } from './icons.js';

const PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;
const MAX_TITLE = 200;

export class ThreadList {
  constructor({ list, status, loadMore, onOpen, onDeleted, onRenamed, onError }) {
    Object.assign(this, { list, status, loadMoreButton: loadMore, onOpen, onDeleted, onRenamed, onError });
    this.items = new Map(); // id -> ThreadItem
    this.selectedId = null;
    this.total = 0;
    this.loaded = false;
    this.loading = false;
    this.pendingOrder = false;
    loadMore.addEventListener('click', () => this.loadMore());
    setInterval(() => this.items.forEach((item) => item.renderTime()), 60000);
  }

  get(id) {
    return this.items.get(id)?.thread ?? null;
  }

  /** Reloads the first pages (as many threads as are shown, at least one page). */
  async refresh() {
    if (this.loading) return;
    this.loading = true;
    if (!this.loaded) this.setStatus('Loading conversations…');
    const size = Math.min(MAX_PAGE_SIZE, Math.max(PAGE_SIZE, this.items.size));
    try {
      const page = await threadsApi.list(0, size);
      const fresh = new Set(page.items.map((t) => t.id));
      for (const [id, item] of this.items) {
        // Keep threads the server did not list only while they are being answered (just created).
        if (!fresh.has(id) && !item.busy) this.dropItem(id);
      }
      for (const thread of page.items) this.upsert(thread, { render: false });
      this.total = page.total;
      this.loaded = true;
      this.setStatus(null);
    } catch (error) {
      this.setStatus(`Couldn't load conversations. ${error.message}`, () => this.refresh());
    } finally {
      this.loading = false;
    }
    this.render();
  }

  async loadMore() {
    const page = Math.floor(this.items.size / PAGE_SIZE);
    this.loadMoreButton.disabled = true;
    try {
      const result = await threadsApi.list(page, PAGE_SIZE);
      for (const thread of result.items) this.upsert(thread, { render: false });
      this.total = result.total;
    } catch (error) {
      this.onError({ code: error.code, title: "Couldn't load more conversations", message: error.message });
    } finally {
      this.loadMoreButton.disabled = false;
    }
    this.render();
  }

  /** Adds or updates a thread; toTop marks it as updated now. */
  upsert(thread, { toTop = false, render = true } = {}) {
    if (!thread?.id) return;
    let item = this.items.get(thread.id);
    if (!item) {
      item = new ThreadItem(thread, this);
      this.items.set(thread.id, item);
      if (this.loaded && !render) this.total = Math.max(this.total, this.items.size);
    } else {
      item.update(thread);
    }
    if (toTop) item.thread.updated_at = new Date().toISOString();
    item.setSelected(thread.id === this.selectedId);
    if (render) this.render();
  }

  /** A thread got activity at `iso` (defaults to now): it moves up. */
  touch(id, iso) {
    const item = this.items.get(id);
    if (!item) return;
    const time = iso && !Number.isNaN(Date.parse(iso)) ? iso : new Date().toISOString();
    if (Date.parse(time) > Date.parse(item.thread.updated_at || 0)) item.thread.updated_at = time;
    item.renderTime();
    this.render();
  }

  setBusy(id, busy) {
    this.items.get(id)?.setBusy(busy);
  }

  select(id) {
    this.selectedId = id;
    for (const item of this.items.values()) item.setSelected(item.thread.id === id);
  }

  remove(id) {
    if (!id || !this.items.has(id)) return;
    this.dropItem(id);
    this.total = Math.max(0, this.total - 1);
    this.render();
  }

  dropItem(id) {
    this.items.get(id)?.el.remove();
    this.items.delete(id);
  }

  /** Puts the items in order (newest first), without moving the one being renamed. */
  render() {
    const renaming = [...this.items.values()].some((item) => item.mode === 'rename');
    if (renaming) {
      this.pendingOrder = true;
    } else {
      this.pendingOrder = false;
      const ordered = [...this.items.values()].sort((a, b) => (Date.parse(b.thread.updated_at || 0) || 0)
        - (Date.parse(a.thread.updated_at || 0) || 0) || a.thread.id.localeCompare(b.thread.id));
      ordered.forEach((item, index) => {
        if (this.list.children[index] !== item.el) this.list.insertBefore(item.el, this.list.children[index] ?? null);
      });
    }
    this.loadMoreButton.hidden = !this.loaded || this.items.size >= this.total;
    if (this.loaded && this.items.size === 0) this.setStatus('No conversations yet. Your chats appear here.');
    else if (this.loaded && this.status.dataset.kind !== 'error') this.setStatus(null);
  }

  setStatus(text, onRetry) {
    const status = clear(this.status);
    status.hidden = !text;
    status.dataset.kind = onRetry ? 'error' : 'info';
    if (!text) return;
    status.append(text);
    if (onRetry) status.append(' ', h('button', { type: 'button', class: 'button button-quiet', text: 'Retry', on: { click: onRetry } }));
  }

  // ---- item actions (called by ThreadItem) ------------------------------------------------------------------------

  async rename(item, title) {
    const id = item.thread.id;
    try {
      const updated = await threadsApi.rename(id, title);
      item.update(updated ?? { ...item.thread, title });
      item.setMode('view');
      if (item.keepFocus) item.focusOpen();
      if (this.pendingOrder) this.render();
      if (id === this.selectedId) this.onRenamed?.(item.thread);
    } catch (error) {
      if (error.code === 'THREAD_NOT_FOUND') {
        this.remove(id);
        this.onDeleted(id);
      }
      this.onError({ code: error.code, title: "Couldn't rename the conversation", message: error.message });
      item.renameFailed();
    }
  }

  async delete(item) {
    const id = item.thread.id;
    try {
      await threadsApi.remove(id);
    } catch (error) {
      if (error.code !== 'THREAD_NOT_FOUND') {
        this.onError({ code: error.code, title: "Couldn't delete the conversation", message: error.message });
        item.setMode('view');
        item.focusOpen();
        return;
      }
    }
    // Keep the keyboard in the list: focus the next (or previous) conversation.
    const next = item.el.nextElementSibling ?? item.el.previousElementSibling;
    this.remove(id);
    this.onDeleted(id);
    (next?.querySelector('.thread-open') ?? document.getElementById('new-thread-button'))?.focus();
  }
}

/** One thread in the list: view, rename and confirm-delete modes. */
class ThreadItem {
  constructor(thread, owner) {
    this.owner = owner;
    this.thread = { ...thread };
    this.busy = false;
    this.mode = 'view';

    this.titleEl = h('span', { class: 'thread-title' });
    this.timeEl = h('time', { class: 'thread-time' });
    this.busyText = h('span', { class: 'visually-hidden' });
    this.openButton = h('button', { type: 'button', class: 'thread-open', on: { click: () => owner.onOpen(this.thread.id) } },
      this.titleEl, this.busyText,
      h('span', { class: 'thread-meta' }, h('span', { class: 'busy-dot', 'aria-hidden': 'true' }), this.timeEl));
    this.renameButton = h('button', { type: 'button', class: 'icon-button thread-rename', on: { click: () => this.setMode('rename') } }, icon('pencil'));
    this.deleteButton = h('button', { type: 'button', class: 'icon-button thread-delete', on: { click: () => this.setMode('confirm') } }, icon('trash'));
    this.actions = h('div', { class: 'thread-actions' }, this.renameButton, this.deleteButton);

    this.input = h('input', {
      type: 'text', class: 'thread-rename-input', maxlength: String(MAX_TITLE), 'aria-label': 'Conversation title',
      'aria-describedby': 'rename-hint', autocomplete: 'off', spellcheck: 'false',
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        this.commitRename(true);
      } else if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        this.cancelRename(true);
      }
    });
    // Leaving the field saves, like most inline editors; focus stays where the user moved it.
    this.input.addEventListener('blur', () => {
      if (this.mode === 'rename' && !this.saving) this.commitRename(false);
    });
    this.renameBox = h('div', { class: 'thread-rename-box', hidden: true }, this.input);

    this.confirmText = h('p', { class: 'thread-confirm-text' });
    this.confirmButton = h('button', { type: 'button', class: 'button button-danger thread-delete-confirm', text: 'Delete', on: { click: () => this.confirmDelete() } });
    this.cancelButton = h('button', { type: 'button', class: 'button button-quiet thread-delete-cancel', text: 'Cancel', on: { click: () => this.cancelDelete() } });
    this.confirmBox = h('div', { class: 'thread-confirm', role: 'group', 'aria-label': 'Confirm delete', hidden: true },
      this.confirmText, h('div', { class: 'thread-confirm-actions' }, this.confirmButton, this.cancelButton));
    this.confirmBox.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        this.cancelDelete();
      }
    });

    this.el = h('li', { class: 'thread-item', dataset: { threadId: thread.id, mode: 'view' } },
      this.openButton, this.actions, this.renameBox, this.confirmBox);
    this.update(thread);
  }

  update(thread) {
    Object.assign(this.thread, thread);
    const title = this.thread.title || 'Untitled conversation';
    this.titleEl.textContent = title;
    this.openButton.title = title;
    this.renameButton.setAttribute('aria-label', `Rename “${title}”`);
    this.renameButton.title = 'Rename';
    this.deleteButton.setAttribute('aria-label', `Delete “${title}”`);
    this.deleteButton.title = 'Delete';
    this.renderTime();
  }

  renderTime() {
    const iso = this.thread.updated_at || this.thread.created_at;
    this.timeEl.textContent = relativeTime(iso);
    this.timeEl.dateTime = iso || '';
    this.timeEl.title = fullTime(iso);
  }

  setSelected(selected) {
    if (selected) this.openButton.setAttribute('aria-current', 'page');
    else this.openButton.removeAttribute('aria-current');
    this.el.classList.toggle('selected', selected);
  }

  setBusy(busy) {
    this.busy = busy;
    this.el.dataset.busy = busy ? 'true' : 'false';
    this.busyText.textContent = busy ? ' (answering)' : '';
  }

  setMode(mode) {
    this.mode = mode;
    this.el.dataset.mode = mode;
    const view = mode === 'view';
    this.openButton.hidden = !view;
    this.actions.hidden = !view;
    this.renameBox.hidden = mode !== 'rename';
    this.confirmBox.hidden = mode !== 'confirm';
    if (mode === 'rename') {
      this.saving = false;
      this.input.value = this.thread.title || '';
      this.input.removeAttribute('aria-invalid');
      this.input.disabled = false;
      this.input.focus();
      this.input.select();
    } else if (mode === 'confirm') {
      this.confirmText.textContent = `Delete “${this.thread.title || 'Untitled conversation'}” and all its messages?`;
      this.confirmButton.disabled = false;
      this.cancelButton.disabled = false;
      this.cancelButton.focus();
    }
  }

  focusOpen() {
    this.openButton.focus();
  }

  commitRename(keepFocus) {
    const title = this.input.value.trim();
    if (!title || title === this.thread.title) {
      this.cancelRename(keepFocus);
      return;
    }
    this.saving = true;
    this.keepFocus = keepFocus;
    this.input.disabled = true;
    this.owner.rename(this, title.slice(0, MAX_TITLE));
  }

  renameFailed() {
    if (this.mode !== 'rename') return;
    this.saving = false;
    this.input.disabled = false;
    this.input.setAttribute('aria-invalid', 'true');
    this.input.focus();
  }

  cancelRename(keepFocus) {
    this.setMode('view');
    if (keepFocus) this.renameButton.focus();
    if (this.owner.pendingOrder) this.owner.render();
  }

  confirmDelete() {
    this.confirmButton.disabled = true;
    this.cancelButton.disabled = true;
    this.owner.delete(this);
  }

  cancelDelete() {
    this.setMode('view');
    this.deleteButton.focus();
  }
}
