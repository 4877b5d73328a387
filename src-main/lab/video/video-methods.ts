/** The video area's part of the lab API: each method hands over to the VideoArea. */
import type { AreaMethods } from '../api';
import type { VideoArea } from './video-area';

export function videoMethods(video: VideoArea): AreaMethods<'video'> {
  return {
    'video.state': async () => video.state(),
    'video.play': async (opts) => video.play(opts),
    'video.stop': async () => video.stop(),
    'video.configure': async (patch) => video.configure(patch),
  };
}
