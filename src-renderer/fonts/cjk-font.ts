// The CJK font the renderer ships, so a wall screen with no Chinese system font still
// renders zh-CN: Noto Sans SC (OFL-1.1, resources/fonts/) as @fontsource-variable's
// unicode-range slices, one FontFace per slice. The browser fetches a slice only when text
// on screen needs one of its characters. Slices are referenced with ?no-inline: vite would
// inline the small ones as data: URLs, which the CSP (font-src 'self') refuses. The package
// is read as assets through vite's glob (its woff2 files and their ranges), not imported as code.
/// <reference types="vite/client" />

/** The family name styles.css lists after the system CJK fonts. */
export const CJK_FONT_FAMILY = 'Noto Sans SC Variable';

const PACKAGE = '../../node_modules/@fontsource-variable/noto-sans-sc';
const ranges = import.meta.glob<Record<string, string>>('../../node_modules/@fontsource-variable/noto-sans-sc/unicode.json', { import: 'default', eager: true });
const files = import.meta.glob<string>('../../node_modules/@fontsource-variable/noto-sans-sc/files/*-wght-normal.woff2', {
  query: '?no-inline',
  import: 'default',
  eager: true,
});

/** The slices: each file's URL with its unicode-range, matched by the slice number or name in the file name. */
export function fontSlices(ranges: Readonly<Record<string, string>>, urls: Readonly<Record<string, string>>): { url: string; range: string }[] {
  const out: { url: string; range: string }[] = [];
  for (const [path, url] of Object.entries(urls)) {
    // Numbered slices are keyed "[12]" in unicode.json, named ones (latin, cyrillic...) by name.
    const m = /noto-sans-sc-([a-z-]+|\d+)-wght-normal\.woff2$/.exec(path);
    const range = m ? ranges[/^\d+$/.test(m[1]) ? `[${m[1]}]` : m[1]] : undefined;
    if (range) out.push({ url, range });
  }
  return out;
}

/** The shipped slices, as bundled. */
export function cjkSlices(): { url: string; range: string }[] {
  return fontSlices(ranges[`${PACKAGE}/unicode.json`] ?? {}, files);
}

/** Adds the slices to document.fonts (unloaded: each loads when first needed). */
export function installCjkFont(): void {
  if (typeof FontFace === 'undefined' || typeof document === 'undefined') return;
  for (const { url, range } of cjkSlices()) {
    const face = new FontFace(CJK_FONT_FAMILY, `url(${url}) format('woff2')`, { weight: '100 900', style: 'normal', display: 'swap', unicodeRange: range });
    document.fonts.add(face);
  }
}
