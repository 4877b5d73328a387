/** What a capture query selects (the inspector's filter bar, exports, labs' checks): one schema for every area's API. */
import { z } from 'zod';

export const captureQuerySchema = z
  .object({
    service: z.string().max(40),
    conn: z.number().int().min(0),
    text: z.string().max(200),
    /** a display filter on decoded fields (capture/field-filter.ts): `http.status == 304` */
    filter: z.string().max(1000),
    kind: z.enum(['chunk', 'message', 'event']),
  })
  .partial()
  .strict();
export type CaptureQuery = z.infer<typeof captureQuerySchema>;
