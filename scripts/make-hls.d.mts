/** file name → playlist text: master.m3u8 and one media playlist per representation of the MPD;
 *  `sizeOf` (bytes of a segment file by name) makes BANDWIDTH the segments' measured peak */
export declare function hlsPlaylists(mpd: string, sizeOf?: (name: string) => number | undefined): Record<string, string>;
