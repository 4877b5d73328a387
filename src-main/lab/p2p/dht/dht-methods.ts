/** The DHT's part of the lab API: each method hands over to the DhtArea. */
import type { AreaMethods } from '../../api';
import type { DhtArea } from './dht-area';

export function dhtMethods(dht: DhtArea): AreaMethods<'dht'> {
  return {
    'dht.state': async () => dht.state(),
    'dht.files': async () => dht.scenarios.files(),
    'dht.save': async (name, text) => dht.scenarios.save(name, text),
    'dht.validate': async (text) => dht.scenarios.validate(text),
    'dht.run': async (text) => dht.run(text),
    'dht.lookup': async (key, from) => dht.lookup(key, from),
  };
}
