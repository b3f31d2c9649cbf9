// Hands text to the browser as a download: a Blob behind an object URL and a click on
// an <a download>. No navigation happens, so the page CSP needs nothing for it.
export function saveTextFile(fileName: string, text: string, type: string): void {
  saveBlobFile(fileName, new Blob([text], { type }));
}

/** The same for a Blob already in hand (a streamed HTTP download). */
export function saveBlobFile(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked later, not at once: the download reads the Blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** fleetdeck-inventory-YYYY-MM-DD.csv, in the local date. */
export function exportFileName(format: 'csv' | 'json', now = new Date()): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `fleetdeck-inventory-${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}.${format}`;
}
