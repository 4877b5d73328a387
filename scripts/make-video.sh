#!/bin/sh
# NetLab's test video for DASH and HLS (Kurose & Ross §2.6.2): a 20 s test pattern with a beeping
# tone, generated here (no download), encoded at three bitrates in 2 s segments of fragmented
# MP4 (H.264 + AAC), CMAF style: one set of files — an init segment per representation
# (init-<id>.mp4) and media segments (seg-<id>-<number>.m4s) — named by both the DASH manifest
# (manifest.mpd) and the HLS playlists beside it (make-hls.mjs; RFC 8216 §3.3 lists fragmented
# MPEG-4 as an HLS segment format, its init segment given by EXT-X-MAP).
# The output ships in resources/sites/video.netcinema.com/trailer/ (licence: NetLab's own).
# Needs ffmpeg with libx264 (Debian: ffmpeg). Usage: scripts/make-video.sh [output folder]
set -eu
out="${1:-$(dirname "$0")/../resources/sites/video.netcinema.com/trailer}"
mkdir -p "$out"
rm -f "$out"/*.webm "$out"/*.mp4 "$out"/*.m4s "$out"/manifest.mpd "$out"/*.m3u8
# each rate held at its own value (x264's constant bitrate, nal-hrd=cbr: min = max = target): the
# segments' sizes match the bandwidth the manifest declares, so a player's throughput arithmetic
# holds. A key frame every 2 s exactly (-g 48 at 24 frame/s, no scene-cut key frames): every
# segment starts with one in every representation, so a player switches at any boundary.
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=640x360:rate=24:duration=20,noise=alls=12:allf=t" \
  -f lavfi -i "sine=frequency=440:beep_factor=4:duration=20:sample_rate=48000" \
  -map 0:v -map 0:v -map 0:v -map 1:a \
  -c:v libx264 -preset veryfast -profile:v main -pix_fmt yuv420p -g 48 -keyint_min 48 -sc_threshold 0 -x264-params nal-hrd=cbr \
  -filter:v:0 scale=320:180 -b:v:0 100k -minrate:v:0 100k -maxrate:v:0 100k -bufsize:v:0 200k \
  -filter:v:1 scale=480:270 -b:v:1 300k -minrate:v:1 300k -maxrate:v:1 300k -bufsize:v:1 600k \
  -b:v:2 700k -minrate:v:2 700k -maxrate:v:2 700k -bufsize:v:2 1400k \
  -c:a aac -b:a 32k \
  -f dash -dash_segment_type mp4 -seg_duration 2 -use_template 1 -use_timeline 0 -single_file 0 \
  -adaptation_sets "id=0,streams=v id=1,streams=a" \
  -init_seg_name 'init-$RepresentationID$.mp4' -media_seg_name 'seg-$RepresentationID$-$Number%03d$.m4s' \
  "$out/manifest.mpd"
# the HLS playlists beside the manifest (RFC 8216), naming the same segments
node "$(dirname "$0")/make-hls.mjs" "$out"
echo "wrote $(ls "$out" | wc -l) files, $(du -sk "$out" | cut -f1) KiB, to $out"
