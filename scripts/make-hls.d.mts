/** file name → playlist text: master.m3u8 and one media playlist per representation of the MPD */
export declare function hlsPlaylists(mpd: string): Record<string, string>;
