/**
 * The slice of monaco the editor needs: the core API, the editor worker and the
 * JavaScript and Python tokenizers. Imported lazily (dynamic import) by CodeEditor.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/languages/definitions/javascript/register';
import 'monaco-editor/languages/definitions/python/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

self.MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

export { monaco };
