// English strings of the views that work at fleet scale: the overview's not-monitored and
// unreachable counts, the search box, bulk import/export transfers, pending control states.
// Spread into en.ts.
export const enScale = {
  'scale.placeholder': '',
} as const;

export type ScaleDictionary = Record<keyof typeof enScale, string>;
