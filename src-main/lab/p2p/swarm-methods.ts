/**
 * The swarm's part of the lab API: each method hands over to the SwarmController.
 * The Lab takes this table as it is, so the method list of an area sits beside the area.
 */
import type { AreaMethods } from '../api';
import type { SwarmController } from './swarm-controller';

export function swarmMethods(swarm: () => SwarmController): AreaMethods<'swarm'> {
  return {
    'swarm.files': async () => swarm().files(),
    'swarm.save': async (name, text) => swarm().save(name, text),
    'swarm.validate': async (text) => swarm().validate(text),
    'swarm.start': async (text) => swarm().start(text),
    'swarm.stop': async () => swarm().stop(),
    'swarm.state': async () => swarm().state(),
  };
}
