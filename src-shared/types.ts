// Small type helpers for the readonly domain: builders that fill a value in steps use Mutable.

/** T with its top-level readonly modifiers removed, for code that builds a value field by field. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
