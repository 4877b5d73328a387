/**
 * A Vite plugin for the renderer's build: the page asks for a lazily loaded chunk (and its
 * style sheets) beside its first chunk, in index.html, instead of once the app has mounted
 * and rendered the component that imports it. The chunk still runs only when imported, so the
 * first paint waits for nothing more; the import then finds it fetched. Used for the
 * inspector, whose first rows should not wait for a second round of requests.
 */
import type { Plugin } from 'vite';

interface OutChunk {
  type: 'chunk';
  fileName: string;
  facadeModuleId: string | null;
  imports: string[];
  viteMetadata?: { importedCss: Set<string> };
}

/** `moduleSuffix`: the end of the source path of the chunk's entry module */
export function preloadChunk(moduleSuffix: string): Plugin {
  return {
    name: 'netlab:preload-chunk',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle as Record<string, OutChunk | { type: 'asset' }> | undefined;
        if (!bundle) return html;
        const chunks = Object.values(bundle).filter((c): c is OutChunk => c.type === 'chunk');
        const entry = chunks.find((c) => c.facadeModuleId?.replace(/\\/g, '/').endsWith(moduleSuffix));
        if (!entry) throw new Error(`preloadChunk: no chunk for ${moduleSuffix}`);
        const scripts: string[] = [];
        const styles: string[] = [];
        const seen = new Set<string>();
        const visit = (c: OutChunk): void => {
          if (seen.has(c.fileName)) return;
          seen.add(c.fileName);
          scripts.push(c.fileName);
          for (const css of c.viteMetadata?.importedCss ?? []) styles.push(css);
          for (const name of c.imports) {
            const dep = bundle[name];
            if (dep?.type === 'chunk') visit(dep);
          }
        };
        visit(entry);
        const links = [
          ...scripts.filter((f) => !html.includes(`/${f}"`)).map((f) => `<link rel="modulepreload" crossorigin href="./${f}">`),
          ...styles.filter((f) => !html.includes(`/${f}"`)).map((f) => `<link rel="preload" as="style" crossorigin href="./${f}">`),
        ];
        return html.replace('</head>', `  ${links.join('\n    ')}\n  </head>`);
      },
    },
  };
}
