// fleetdeck/layering: who may import whom, as ALLOWED lists (VS Code's code-import-patterns
// idea). The table lives in eslint.config.js; this file is only the mechanism.
//
// Each layer is { name, files, allow, why }. The first layer whose `files` glob matches the
// linted file applies; an import is legal only if it matches an entry of that layer's
// `allow` list and no `!` entry. A source file that falls in no layer is reported too, so a
// new folder cannot slip past the table.
//
// Paths are module ids relative to the repository root, with .ts/.tsx/.js/.mjs/.cjs and any
// ?query dropped: `src-main/core/api/core-api`. Relative imports are resolved lexically
// against the importing file (no filesystem resolver: a planted or not-yet-moved target is
// judged by where it points, not by whether it exists). Glob syntax: `*` (one segment),
// `**` (any depth), `{a,b}`; a trailing `/**` also matches the folder itself (its index).
//
// Allow entries:
//   'src-shared/**'       a path glob
//   '!src-main/core/api/**'  a path glob that is never allowed, even if another entry matches
//   'builtin'             node builtins (node:fs, fs, ...)
//   'npm'                 any npm package except electron (electron is a platform, named alone)
//   'npm:zod'             one package; 'npm:@deck.gl/*' a scope
//   'type:src-shared/**'  a path glob allowed for type-only imports only
import { builtinModules } from 'node:module';
import path from 'node:path';

const BUILTINS = new Set(builtinModules);
const EXTENSION = /\.(?:ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;

function escapeRegex(text) {
  return text.replace(/[.+^$()|[\]\\]/g, '\\$&');
}

/** Compiles a glob (see the header) to a RegExp over whole module ids. */
export function globToRegExp(glob) {
  let source = '';
  let i = 0;
  while (i < glob.length) {
    const rest = glob.slice(i);
    if (rest === '/**') {
      source += '(?:/.*)?';
      i += 3;
    } else if (rest.startsWith('**/')) {
      source += '(?:.*/)?';
      i += 3;
    } else if (rest.startsWith('**')) {
      source += '.*';
      i += 2;
    } else if (glob[i] === '*') {
      source += '[^/]*';
      i += 1;
    } else if (glob[i] === '?') {
      source += '[^/]';
      i += 1;
    } else if (glob[i] === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) throw new Error(`layering: unclosed { in ${glob}`);
      source += `(?:${glob.slice(i + 1, end).split(',').map(escapeRegex).join('|')})`;
      i = end + 1;
    } else {
      source += escapeRegex(glob[i]);
      i += 1;
    }
  }
  return new RegExp(`^${source}$`);
}

function toModuleId(posixPath) {
  return posixPath.replace(/[?#].*$/, '').replace(EXTENSION, '');
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function compileEntry(entry) {
  if (entry === 'builtin' || entry === 'npm') return { kind: entry };
  if (entry.startsWith('npm:')) return { kind: 'package', test: globToRegExp(entry.slice(4)) };
  if (entry.startsWith('type:')) return { kind: 'path', typeOnly: true, test: globToRegExp(toModuleId(entry.slice(5))) };
  if (entry.startsWith('!')) return { kind: 'path', deny: true, test: globToRegExp(toModuleId(entry.slice(1))) };
  return { kind: 'path', test: globToRegExp(toModuleId(entry)) };
}

function compileLayers(layers) {
  return layers.map((layer) => ({
    ...layer,
    fileTests: [].concat(layer.files).map((glob) => globToRegExp(toModuleId(glob))),
    entries: layer.allow.map(compileEntry),
  }));
}

/**
 * What an import specifier points at: { kind: 'path', id } for relative and absolute paths
 * (id relative to the root; `..`-prefixed when outside it), { kind: 'builtin', name } or
 * { kind: 'package', name }.
 */
export function classify(specifier, fromFile, root) {
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const absolute = path.resolve(path.dirname(fromFile), specifier);
    const id = path.relative(root, absolute).split(path.sep).join('/');
    return { kind: 'path', id: toModuleId(id) };
  }
  if (specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0])) {
    return { kind: 'builtin', name: specifier };
  }
  return { kind: 'package', name: packageName(specifier) };
}

/** 'allowed' | 'typeOnly' (allowed only as `import type`) | 'denied'. */
export function judge(entries, target, typeOnly) {
  if (target.kind === 'builtin') return entries.some((e) => e.kind === 'builtin') ? 'allowed' : 'denied';
  if (target.kind === 'package') {
    const ok = entries.some((e) => (e.kind === 'npm' && target.name !== 'electron') || (e.kind === 'package' && e.test.test(target.name)));
    return ok ? 'allowed' : 'denied';
  }
  const paths = entries.filter((e) => e.kind === 'path' && e.test.test(target.id));
  if (paths.some((e) => e.deny)) return 'denied';
  if (paths.some((e) => !e.typeOnly)) return 'allowed';
  if (paths.length > 0) return typeOnly ? 'allowed' : 'typeOnly';
  return 'denied';
}

function isTypeOnlyDeclaration(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specifiers = node.specifiers ?? [];
  return specifiers.length > 0 && specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type');
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Each folder imports only what its layer allows (ARCHITECTURE.md, "Who may import whom").' },
    schema: [
      {
        type: 'object',
        properties: { layers: { type: 'array' } },
        required: ['layers'],
        additionalProperties: false,
      },
    ],
    messages: {
      notAllowed: "{{layer}} may not import '{{target}}' ('{{specifier}}'). {{why}}",
      typeOnly: "{{layer}} may import '{{target}}' only as `import type` ('{{specifier}}'). {{why}}",
      noLayer: '{{file}} is in no layer of the layering table in eslint.config.js: add its folder there.',
    },
  },
  create(context) {
    const root = context.cwd;
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const fileId = toModuleId(file);
    const layers = compiledFor(context.options[0].layers);
    const layer = layers.find((l) => l.fileTests.some((t) => t.test(fileId)));
    if (!layer) {
      return {
        Program(node) {
          context.report({ node, loc: { line: 1, column: 0 }, messageId: 'noLayer', data: { file } });
        },
      };
    }

    function check(sourceNode, typeOnly) {
      if (!sourceNode || sourceNode.type !== 'Literal' || typeof sourceNode.value !== 'string') return;
      const specifier = sourceNode.value;
      const target = classify(specifier, context.filename, root);
      const verdict = judge(layer.entries, target, typeOnly);
      if (verdict === 'allowed') return;
      context.report({
        node: sourceNode,
        messageId: verdict === 'typeOnly' ? 'typeOnly' : 'notAllowed',
        data: {
          layer: `${file} (${layer.name})`,
          target: target.kind === 'path' ? target.id : target.name,
          specifier,
          why: layer.why ?? '',
        },
      });
    }

    return {
      ImportDeclaration: (node) => check(node.source, isTypeOnlyDeclaration(node)),
      ExportNamedDeclaration: (node) => node.source && check(node.source, isTypeOnlyDeclaration(node)),
      ExportAllDeclaration: (node) => check(node.source, node.exportKind === 'type'),
      ImportExpression: (node) => check(node.source, false),
      TSImportType: (node) => {
        // `typeof import('x')`: newer typescript-eslint 8 releases give `source`; older ones
        // only `argument` (a TSLiteralType), now a deprecated getter, so it is read last.
        if ('source' in node && node.source) return check(node.source, true);
        const literal = node.argument?.type === 'TSLiteralType' ? node.argument.literal : node.argument;
        check(literal, true);
      },
      TSExternalModuleReference: (node) => check(node.expression, node.parent?.importKind === 'type'),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length === 1) {
          check(node.arguments[0], false);
        }
      },
    };
  },
};

const cache = new WeakMap();
function compiledFor(layers) {
  let compiled = cache.get(layers);
  if (!compiled) {
    compiled = compileLayers(layers);
    cache.set(layers, compiled);
  }
  return compiled;
}

export const layeringPlugin = { meta: { name: 'fleetdeck' }, rules: { layering: rule } };
