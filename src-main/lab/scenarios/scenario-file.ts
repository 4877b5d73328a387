/**
 * A lab scenario file (YAML): which services run with what settings. Validated once, at
 * the edge, with an error that names the line that is wrong.
 */
import { z } from 'zod';
import { serviceConfigSchema } from '../api';
import { proxySettingsPatchSchema, webSettingsPatchSchema } from '../web/web-schemas';
import { checkYaml } from './yaml-schema';
import { snmpSettingsSchema } from '../snmp/snmp-settings';
import { videoConfigureSchema } from '../video/video-types';

const serviceSettings = serviceConfigSchema.extend({ enabled: z.boolean().optional() }).strict();
const serviceKey = z.string().regex(/^[a-z0-9-]{1,40}$/);

export const scenarioSchema = z
  .object({
    name: z.string().max(200).optional(),
    description: z.string().max(5000).optional(),
    capture: z
      .object({ limit: z.number().int().min(100).max(1_000_000), enabled: z.boolean() })
      .partial()
      .strict()
      .optional(),
    services: z.record(serviceKey, serviceSettings).optional(),
    /** the web area's switches, the same as the Web tab's (web.configure, web.proxyConfigure) */
    web: z.object({ server: webSettingsPatchSchema, proxy: proxySettingsPatchSchema }).partial().strict().optional(),
    /** the SNMP agents' communities and trap receiver (snmp/snmp-settings.ts) */
    snmp: snmpSettingsSchema.optional(),
    /** the video area's keys (video.configure): the player's rule, the client's region, the serving link's rate */
    video: videoConfigureSchema.optional(),
  })
  .strict();

export type Scenario = z.infer<typeof scenarioSchema>;

export class ScenarioError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line ? `line ${line}: ${message}` : message);
  }
}

/** `knownServices`: the lab's service ids, so a misspelt one is an error at its line. */
export function parseScenario(text: string, knownServices?: readonly string[]): Scenario {
  const schema = knownServices
    ? scenarioSchema.extend({
        services: z
          .record(serviceKey, serviceSettings)
          .superRefine((services, ctx) => {
            for (const id of Object.keys(services)) {
              if (!knownServices.includes(id)) {
                ctx.addIssue({ code: 'custom', path: [id], message: `no service called ${id} (the lab has ${knownServices.join(', ')})` });
              }
            }
          })
          .optional(),
      })
    : scenarioSchema;
  const checked = checkYaml(text, schema);
  if (checked.ok) return checked.data;
  const path = checked.issue?.path ?? [];
  throw new ScenarioError(`${path.length ? `${path.join('.')}: ` : ''}${checked.message}`, checked.line);
}
