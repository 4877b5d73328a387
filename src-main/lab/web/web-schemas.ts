/** Argument schemas of the web area's API methods (api.ts lists the methods). */
import { z } from 'zod';

export const siteHostSchema = z.string().regex(/^[a-z0-9.-]{1,253}$/);
export const sitePathSchema = z.string().startsWith('/').max(1024);

export const webSettingsPatchSchema = z
  .object({
    forceNonPersistent: z.boolean(),
    maxAgeSec: z.number().int().min(0).max(31_536_000),
    headerTimeoutMs: z.number().int().min(100).max(600_000),
    idleTimeoutMs: z.number().int().min(100).max(3_600_000),
  })
  .partial()
  .strict();

export const proxySettingsPatchSchema = z
  .object({
    cacheEnabled: z.boolean(),
    internetDelayMs: z.number().min(0).max(10_000),
    accessKbps: z.number().min(0).max(10_000_000),
  })
  .partial()
  .strict();

export const persistenceOptionsSchema = z
  .object({
    rttMs: z.number().min(0).max(2000),
    /** the base page: a path on www.someschool.edu */
    path: sitePathSchema,
  })
  .partial()
  .strict();

export const cachingOptionsSchema = z
  .object({
    internetDelayMs: z.number().min(0).max(10_000),
    accessKbps: z.number().min(0).max(10_000_000),
    requests: z.number().int().min(1).max(100),
  })
  .partial()
  .strict();

export type PersistenceOptions = z.infer<typeof persistenceOptionsSchema>;
export type CachingOptions = z.infer<typeof cachingOptionsSchema>;
