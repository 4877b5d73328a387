import type { CaptureBatch } from '../../src-main/lab/api';
/** bench/lib/batch-frame.mjs: the capture batch frame decoded as the renderer decodes it */
export function decodeBatchFrame(bytes: Uint8Array): CaptureBatch;
