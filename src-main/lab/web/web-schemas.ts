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
    /** m, the parallel connections of the fourth way (browsers opened 5 to 10) */
    parallel: z.number().int().min(1).max(20),
    /** large objects: each image replaced by an object of this many bytes (0: the page's own) */
    objectBytes: z.number().int().min(0).max(4 * 1024 * 1024),
    /** the web server's link rate, kbit/s, during the run (0: no limit) */
    rateKbps: z.number().min(0).max(10_000_000),
  })
  .partial()
  .strict();

/** The caching example's figures in the textbook's units, and how far to scale them down. */
export const cachingOptionsSchema = z
  .object({
    /** offered load: requests per second from the institution's browsers */
    requestsPerSec: z.number().min(0.5).max(100),
    /** object size, kbit (the textbook: 1 Mbit) */
    objectKbit: z.number().min(1).max(100_000),
    /** the access link's rate, Mbps (15; the faster option is 100) */
    accessMbps: z.number().min(0.1).max(10_000),
    fastMbps: z.number().min(0.1).max(10_000),
    internetDelayMs: z.number().min(0).max(10_000),
    hitRate: z.number().min(0).max(0.9),
    /** how long the offered load lasts, textbook seconds */
    durationS: z.number().min(1).max(600),
    /** textbook seconds per second of wall time */
    timeFactor: z.number().min(0.5).max(20),
    /** sizes and rates divided by this (delays untouched): traffic intensity is unchanged */
    sizeDivisor: z.number().min(1).max(1000),
  })
  .partial()
  .strict();

export type PersistenceOptions = z.infer<typeof persistenceOptionsSchema>;
export type CachingOptions = z.infer<typeof cachingOptionsSchema>;
