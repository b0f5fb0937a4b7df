#!/bin/sh
# Builds the dlib extraction peer. Output goes outside the repository (it is a build product):
# to $1 if given, else $DOPPEL_CACHE/bin, else /tmp. Prints the binary's path as its last line.
# Needs Debian's libdlib-dev (headers, libdlib) and libdlib-data (the 68-point model).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out_dir=${1:-${DOPPEL_CACHE:+$DOPPEL_CACHE/bin}}
out_dir=${out_dir:-/tmp/doppel-bench}
mkdir -p "$out_dir"
out="$out_dir/dlib_extract_peer"
if [ ! -f /usr/include/dlib/image_processing.h ]; then
    echo "dlib headers missing: apt-get install libdlib-dev libdlib-data" >&2
    exit 1
fi
# Rebuild only when the source is newer, so `bench extract --peer` is cheap after the first run.
if [ ! -x "$out" ] || [ "$here/dlib_extract_peer.cpp" -nt "$out" ]; then
    # DLIB_PNG_SUPPORT enables save_png; -O3 -march=native gives dlib its best case on this CPU
    # (its HOG code uses SSE/AVX when the compiler is allowed to).
    g++ -std=c++17 -O3 -march=native -DNDEBUG -DDLIB_PNG_SUPPORT -DDLIB_JPEG_SUPPORT \
        -o "$out.tmp" "$here/dlib_extract_peer.cpp" \
        -ldlib -lpng -ljpeg -lblas -llapack -lpthread
    mv "$out.tmp" "$out"
fi
echo "$out"
