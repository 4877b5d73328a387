/**
 * The capture batch frame decoder of src-main/lab/capture/batch-frame.ts, the one the renderer
 * runs, for the bench's stand-in of an inspector tab. The bench runs plain .mjs against the built
 * lab, so the TypeScript source is transpiled here (TypeScript's own transpiler) and
 * imported: one decoder, never a copy to keep in step.
 */
import fs from 'node:fs';
import ts from 'typescript';

const source = fs.readFileSync(new URL('../../src-main/lab/capture/batch-frame.ts', import.meta.url), 'utf8');
const code = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
const decoder = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);

/** @type {(bytes: Uint8Array) => import('../../src-main/lab/api').CaptureBatch} */
export const decodeBatchFrame = decoder.decodeBatchFrame;
