/**
 * A Vite plugin for the renderer: the UI's catalogues (src-renderer/src/i18n/locales/<language>/
 * <area>.ts) compiled when the renderer is built, not in the page as each message is first
 * shown (vue-i18n's message compiler was tens of milliseconds of the first paint, and its code
 * a part of the first chunk). A message with no syntax stays the string it is; one with
 * placeholders, plurals or links becomes the AST vue-i18n's own compiler makes of it, which
 * vue-i18n formats without compiling (the build defines __INTLIFY_DROP_MESSAGE_COMPILER__).
 * A message the compiler refuses fails the build, naming its key.
 */
import { baseCompile } from '@intlify/message-compiler';
import type { Plugin } from 'vite';

const CATALOGUE = /\/src-renderer\/src\/i18n\/locales\/([^/]+)\/([^/]+)\.ts$/;

type Tree = { [key: string]: string | Tree };

/** the static text of an optimized, minified AST, if the message is nothing but text */
function staticText(ast: unknown): string | undefined {
  const body = (ast as { b?: { s?: unknown } }).b;
  return typeof body?.s === 'string' ? body.s : undefined;
}

function compileTree(tree: Tree, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(tree)) {
    const at = `${path}.${key}`;
    if (typeof value !== 'string') {
      out[key] = compileTree(value, at);
      continue;
    }
    const { ast } = baseCompile(value, {
      jit: true,
      minify: true,
      location: false,
      onError: (err) => {
        throw new Error(`${at}: ${err.message} in ${JSON.stringify(value)}`);
      },
    });
    // vue-i18n keeps the formatter it makes of an AST under its cacheKey
    out[key] = staticText(ast) === value ? value : { ...ast, cacheKey: at };
  }
  return out;
}

export function precompileMessages(): Plugin {
  return {
    name: 'netlab:precompile-messages',
    // after the TypeScript is stripped: the module is plain JavaScript to evaluate here
    enforce: 'post',
    async transform(code, id) {
      const m = CATALOGUE.exec(id.replace(/\\/g, '/').split('?')[0]);
      if (!m) return null;
      // a catalogue imports nothing: its default export is a tree of strings
      const mod = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as { default: Tree };
      const compiled = compileTree(mod.default, `${m[1]}:${m[2]}`);
      // one JSON string: kept whole by the bundler (an object literal would be spread over lines) and parsed faster
      return { code: `export default JSON.parse(${JSON.stringify(JSON.stringify(compiled))});\n`, map: null };
    },
  };
}
