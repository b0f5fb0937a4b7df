using Doppel.Faces.Extraction;
using Doppel.Forensics.Model;
using Doppel.Forensics.SelfBlend;
using Doppel.Media.Imaging;
using Doppel.Media.Video;
using Doppel.Tensors.Nn;

namespace Doppel.Forensics.Evaluation;

/// <summary>
/// A detector on a video it never trained on: every Nth frame's face (the extractor's, cut to the
/// detector's input as detect cuts it) as a real, and a self-blend of it (the default blend, no
/// shared jitter, JPEG or flip, seeded per face) as a fake; scored raw and after an H.264 round
/// trip of the face crops at each CRF (all crops of a condition coded at that CRF, reals and
/// fakes alike).
/// </summary>
public static class SelfBlendEvaluation
{
    public static IReadOnlyList<ConditionFigures> Run(DetectorModel model, string video, int everyNth, ulong seed, IReadOnlyList<int> crfs, FaceExtractor extractor)
    {
        var spec = model.Spec;
        var reals = new List<RgbImage>();
        var fakes = new List<RgbImage>();
        var generator = new SelfBlendGenerator(SelfBlendOptions.Default with
        {
            PairColor = ColorJitterOptions.Off, PairDownUpScaleProbability = 0, PairSharpenProbability = 0, PairNoiseProbability = 0, JpegProbability = 0, FlipProbability = 0,
        });
        double fraction = extractor.Options.Crop.FaceFraction;
        int cropSize = extractor.Options.Crop.Size;
        using (var reader = new VideoReader(video, new VideoReadOptions { EveryNth = everyNth }))
        {
            foreach (var frame in reader.Frames())
            {
                var faces = extractor.Extract(frame.Image);
                if (faces.Count == 0) continue;
                var face = faces[0];
                var cropLandmarks = new float[136];
                for (int i = 0; i < 68; i++)
                {
                    var (x, y) = face.Matrix.Transform(face.Landmarks[i].X, face.Landmarks[i].Y);
                    cropLandmarks[2 * i] = (float)x;
                    cropLandmarks[2 * i + 1] = (float)y;
                }
                var real = DetectorInput.FromCrop(face.Crop!, fraction, spec);
                var landmarks = DetectorInput.LandmarksFromCrop(cropLandmarks, cropSize, fraction, spec);
                reals.Add(real);
                fakes.Add(generator.Make(real, landmarks, new Rng(seed * 1_000_003 + (ulong)frame.Index)).Fake);
            }
        }
        return CropConditions.Figures(model, reals, fakes, crfs);
    }
}
