/** Type-only re-exports of the lab contract, so the renderer never bundles zod. */
export type * from '../../../src-main/lab/api';
