// A strict JSON parser (RFC 8259, as strict as JSON.parse) that keeps the 1-based line and
// column where every value and every property name starts, so import errors can point at
// the offending object or field. JSON.parse cannot: it keeps no positions, and on Node 20
// its error messages do not even carry an offset. Each problem carries a code and params
// (for the renderer to word) beside its English message.
import type { ImportIssueParams, JsonSyntaxCode } from '../../../src-shared/domain';

export interface JsonPosition {
  line: number;
  column: number;
}

export type JsonNode = JsonPosition &
  (
    | { type: 'object'; props: Map<string, JsonProperty> }
    | { type: 'array'; items: JsonNode[] }
    | { type: 'string'; value: string }
    | { type: 'number'; value: number; raw: string }
    | { type: 'boolean'; value: boolean }
    | { type: 'null' }
  );

export interface JsonProperty {
  key: JsonPosition;
  value: JsonNode;
}

export interface JsonSyntaxIssue extends JsonPosition {
  code: JsonSyntaxCode;
  params: ImportIssueParams;
  message: string;
}

export interface JsonSourceResult {
  root: JsonNode | null;
  /** The syntax error that stopped the parse (root is then null), or duplicate keys. */
  issues: JsonSyntaxIssue[];
}

const MAX_DEPTH = 256;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class SyntaxFailure extends Error {
  constructor(readonly at: JsonPosition, readonly code: JsonSyntaxCode, readonly params: ImportIssueParams, message: string) {
    super(message);
  }
}

export function parseJsonSource(text: string): JsonSourceResult {
  return new Parser(text).run();
}

// A class rather than closures: the hot paths stay monomorphic and allocate only nodes.
class Parser {
  private i: number;
  private line = 1;
  private lineStart: number;
  private readonly n: number;
  private readonly issues: JsonSyntaxIssue[] = [];

  constructor(private readonly text: string) {
    this.n = text.length;
    this.i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.lineStart = this.i;
  }

  run(): JsonSourceResult {
    try {
      this.skipSpace();
      if (this.i >= this.n) return { root: null, issues: [{ line: 1, column: 1, code: 'empty', params: {}, message: 'the file is empty' }] };
      const root = this.value(0);
      this.skipSpace();
      if (this.i < this.n) this.fail('trailing', this.found(), `unexpected ${this.describe()} after the end of the document`);
      return { root, issues: this.issues };
    } catch (err) {
      if (!(err instanceof SyntaxFailure)) throw err;
      return { root: null, issues: [...this.issues, { ...err.at, code: err.code, params: err.params, message: err.message }] };
    }
  }

  private here(): JsonPosition {
    return { line: this.line, column: this.i - this.lineStart + 1 };
  }

  private fail(code: JsonSyntaxCode, params: ImportIssueParams, message: string, at: JsonPosition = this.here()): never {
    throw new SyntaxFailure(at, code, params, message);
  }

  /** The character found where another was expected ('' at the end of the file), as params. */
  private found(more: ImportIssueParams = {}): ImportIssueParams {
    return { found: this.i >= this.n ? '' : this.text[this.i], ...more };
  }

  private describe(): string {
    return this.i >= this.n ? 'the end of the file' : JSON.stringify(this.text[this.i]);
  }

  private skipSpace(): void {
    const text = this.text;
    let i = this.i;
    while (i < this.n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9) i++;
      else if (c === 10 || c === 13) {
        i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
        this.line++;
        this.lineStart = i;
      } else break;
    }
    this.i = i;
  }

  private string(): string {
    const text = this.text;
    const start = this.here();
    let i = this.i + 1; // past the opening quote
    let out = '';
    let chunk = i;
    for (;;) {
      if (i >= this.n) this.fail('unclosed-string', {}, 'this string is never closed (missing ")', start);
      const c = text.charCodeAt(i);
      if (c === 34) {
        this.i = i + 1;
        return out + text.slice(chunk, i);
      }
      if (c === 92) {
        out += text.slice(chunk, i);
        const e = text[i + 1];
        this.i = i;
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad-unicode-escape', {}, '\\u must be followed by 4 hex digits');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else if (e !== undefined && ESCAPES[e] !== undefined) {
          out += ESCAPES[e];
          i += 2;
        } else {
          this.fail('bad-escape', { escape: e ?? '' }, `invalid escape \\${e ?? ''} in a string`);
        }
        chunk = i;
        continue;
      }
      if (c < 0x20) {
        this.i = i;
        if (c === 10 || c === 13) {
          this.fail('string-line-break', {}, 'this string is not closed before the end of its line (missing ", or a line break to write as \\n)', start);
        }
        this.fail('control-char', {}, 'control character inside a string; escape it');
      }
      i++;
    }
  }

  private value(depth: number): JsonNode {
    this.skipSpace();
    const line = this.line;
    const column = this.i - this.lineStart + 1;
    if (this.i >= this.n) this.fail('unexpected-end', {}, 'unexpected end of the file: a value was expected');
    const text = this.text;
    const c = text.charCodeAt(this.i);
    if (c === 123 || c === 91) {
      if (depth >= MAX_DEPTH) this.fail('too-deep', { max: MAX_DEPTH }, `nested more than ${MAX_DEPTH} levels deep`);
      return c === 123 ? this.object(line, column, depth + 1) : this.array(line, column, depth + 1);
    }
    if (c === 34) return { line, column, type: 'string', value: this.string() };
    if (c === 116 && text.startsWith('true', this.i)) {
      this.i += 4;
      return { line, column, type: 'boolean', value: true };
    }
    if (c === 102 && text.startsWith('false', this.i)) {
      this.i += 5;
      return { line, column, type: 'boolean', value: false };
    }
    if (c === 110 && text.startsWith('null', this.i)) {
      this.i += 4;
      return { line, column, type: 'null' };
    }
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(text);
    if (m) {
      this.i += m[0].length;
      return { line, column, type: 'number', value: Number(m[0]), raw: m[0] };
    }
    return this.fail('value-expected', this.found(), `unexpected ${this.describe()}: a value was expected`);
  }

  private object(line: number, column: number, depth: number): JsonNode {
    this.i++; // {
    const props = new Map<string, JsonProperty>();
    this.skipSpace();
    if (this.text.charCodeAt(this.i) === 125) {
      this.i++;
      return { line, column, type: 'object', props };
    }
    for (;;) {
      this.skipSpace();
      const key = this.here();
      if (this.text.charCodeAt(this.i) !== 34) this.fail('name-expected', this.found(), `unexpected ${this.describe()}: a property name in double quotes was expected`);
      const name = this.string();
      this.skipSpace();
      if (this.text.charCodeAt(this.i) !== 58) this.fail('colon-expected', this.found(), `unexpected ${this.describe()}: ":" was expected after the property name`);
      this.i++;
      const value = this.value(depth);
      const previous = props.get(name);
      if (previous) {
        const params = { name, otherLine: previous.key.line };
        this.issues.push({ ...key, code: 'duplicate-property', params, message: `duplicate property "${name}" (also on line ${previous.key.line})` });
      }
      props.set(name, { key, value });
      this.skipSpace();
      const c = this.text.charCodeAt(this.i);
      if (c === 44 || c === 125) this.i++;
      if (c === 44) continue;
      if (c === 125) return { line, column, type: 'object', props };
      this.fail('object-comma', this.found({ openLine: line }), `unexpected ${this.describe()}: "," or "}" was expected (the object opened on line ${line})`);
    }
  }

  private array(line: number, column: number, depth: number): JsonNode {
    this.i++; // [
    const items: JsonNode[] = [];
    this.skipSpace();
    if (this.text.charCodeAt(this.i) === 93) {
      this.i++;
      return { line, column, type: 'array', items };
    }
    for (;;) {
      items.push(this.value(depth));
      this.skipSpace();
      const c = this.text.charCodeAt(this.i);
      if (c === 44 || c === 93) this.i++;
      if (c === 44) continue;
      if (c === 93) return { line, column, type: 'array', items };
      this.fail('array-comma', this.found({ openLine: line }), `unexpected ${this.describe()}: "," or "]" was expected (the array opened on line ${line})`);
    }
  }
}

/** Turns a node back into a plain value (what JSON.parse would have returned). */
export function jsonValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object':
      return Object.fromEntries([...node.props].map(([k, p]) => [k, jsonValue(p.value)]));
    case 'array':
      return node.items.map(jsonValue);
    case 'null':
      return null;
    default:
      return node.value;
  }
}
