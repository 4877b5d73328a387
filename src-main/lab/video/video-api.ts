/** The video area's part of the lab API (issue 17): the lab's DASH player, spread into api.ts's method list. */
import { z } from 'zod';
import { method } from '../api-method';
import { videoConfigureSchema, videoPlaySchema, type VideoState } from './video-types';

const video = method<VideoState>();

export const videoMethodSchemas = {
  'video.state': video(z.tuple([])),
  /** answers once the manifest is read */
  'video.play': video(z.tuple([videoPlaySchema.optional()])),
  'video.stop': video(z.tuple([])),
  'video.configure': video(z.tuple([videoConfigureSchema])),
};
