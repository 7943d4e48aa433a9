/*
 * clipboard.js: copy text to the clipboard. Uses navigator.clipboard where the page is a secure context, else the
 * legacy execCommand('copy') on a temporary off-screen textarea. Resolves to true when the copy worked.
 */

export async function copyText(text) {
  if (navigator.clipboard?.writeText && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      /* permission denied or not focused: try the fallback */
    }
  }
  return legacyCopy(text);
}

function legacyCopy(text) {
  const active = document.activeElement;
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.setAttribute('aria-hidden', 'true');
  area.style.position = 'fixed';
  area.style.top = '-1000px';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  if (active instanceof HTMLElement) active.focus({ preventScroll: true });
  return ok;
}

/**
 * Wires a button that copies `getText()` and shows "Copied" (or "Copy failed") for two seconds. The button's own
 * label is restored afterwards.
 */
export function makeCopyButton(button, getText, label = 'Copy') {
  button.textContent = label;
  let timer = 0;
  button.addEventListener('click', async () => {
    const ok = await copyText(getText());
    button.textContent = ok ? 'Copied' : 'Copy failed';
    button.dataset.copied = ok ? 'true' : 'false';
    clearTimeout(timer);
    timer = setTimeout(() => {
      button.textContent = label;
      delete button.dataset.copied;
    }, 2000);
  });
  return button;
}
