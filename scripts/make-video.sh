#!/bin/sh
# NetLab's test video for DASH (Kurose & Ross §2.6.2): a 20 s test pattern with a beeping
# tone, generated here (no download), encoded at three bitrates in 2 s segments, WebM (VP9 +
# Opus, which Chromium plays without proprietary codecs), with its MPD manifest and the HLS
# playlists beside it (make-hls.mjs).
# The output ships in resources/sites/video.netcinema.com/trailer/ (licence: NetLab's own).
# Needs ffmpeg (Debian: ffmpeg). Usage: scripts/make-video.sh [output folder]
set -eu
out="${1:-$(dirname "$0")/../resources/sites/video.netcinema.com/trailer}"
mkdir -p "$out"
rm -f "$out"/*.webm "$out"/manifest.mpd "$out"/*.m3u8
# each rate capped at its own value (min = max = target): the segments' sizes match the
# bandwidth the manifest declares, so a player's throughput arithmetic holds
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=640x360:rate=24:duration=20,noise=alls=12:allf=t" \
  -f lavfi -i "sine=frequency=440:beep_factor=4:duration=20:sample_rate=48000" \
  -map 0:v -map 0:v -map 0:v -map 1:a \
  -c:v libvpx-vp9 -deadline realtime -cpu-used 8 -row-mt 1 -g 48 -keyint_min 48 \
  -filter:v:0 scale=320:180 -b:v:0 100k -minrate:v:0 100k -maxrate:v:0 100k \
  -filter:v:1 scale=480:270 -b:v:1 300k -minrate:v:1 300k -maxrate:v:1 300k \
  -b:v:2 700k -minrate:v:2 700k -maxrate:v:2 700k \
  -c:a libopus -b:a 32k \
  -f dash -dash_segment_type webm -seg_duration 2 -use_template 1 -use_timeline 0 -single_file 0 \
  -adaptation_sets "id=0,streams=v id=1,streams=a" \
  -init_seg_name 'init-$RepresentationID$.webm' -media_seg_name 'seg-$RepresentationID$-$Number%03d$.webm' \
  "$out/manifest.mpd"
# the HLS playlists beside the manifest (RFC 8216), naming the same segments
node "$(dirname "$0")/make-hls.mjs" "$out"
echo "wrote $(ls "$out" | wc -l) files, $(du -sk "$out" | cut -f1) KiB, to $out"
