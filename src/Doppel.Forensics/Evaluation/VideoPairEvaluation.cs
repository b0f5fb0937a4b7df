using Doppel.Faces.Extraction;
using Doppel.Forensics.Detection;
using Doppel.Forensics.Model;
using Doppel.Media.Video;

namespace Doppel.Forensics.Evaluation;

/// <summary>
/// A detector on a real video against a fake one (e.g. a face swap of it made by doppel convert),
/// whole pipeline: every face detect scores in the sampled frames of each, raw and after
/// re-encoding both videos with H.264 at each CRF (into a temporary folder, deleted after).
/// Figures are per face; the two videos' verdicts are returned beside them.
/// </summary>
public static class VideoPairEvaluation
{
    public static (IReadOnlyList<ConditionFigures> Figures, IReadOnlyList<(string Condition, InputVerdict Real, InputVerdict Fake)> Verdicts) Run(
        DetectorModel model, string realVideo, string fakeVideo, DetectOptions options, IReadOnlyList<int> crfs, FaceExtractor extractor)
    {
        var figures = new List<ConditionFigures>();
        var verdicts = new List<(string, InputVerdict, InputVerdict)>();
        string temp = Path.Combine(Path.GetTempPath(), $"doppel-eval-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            using var detection = new FakeDetection(model, options, extractor);
            foreach (int? crf in new int?[] { null }.Concat(crfs.Select(c => (int?)c)))
            {
                string condition = crf is { } c ? $"H.264 CRF {c}" : "raw";
                string real = crf is { } c1 ? Reencode(realVideo, Path.Combine(temp, $"real_{c1}.mp4"), c1) : realVideo;
                string fake = crf is { } c2 ? Reencode(fakeVideo, Path.Combine(temp, $"fake_{c2}.mp4"), c2) : fakeVideo;
                var r = detection.Detect(real, InputKind.Video);
                var f = detection.Detect(fake, InputKind.Video);
                figures.Add(ConditionFigures.Of(condition, Scores(r), Scores(f), detection.Threshold));
                verdicts.Add((condition, r, f));
            }
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
        return (figures, verdicts);
    }

    private static List<float> Scores(InputVerdict v) => v.Tracks.SelectMany(t => t.Faces).Select(f => f.Score).ToList();

    private static string Reencode(string source, string target, int crf)
    {
        using var reader = new VideoReader(source);
        using var writer = VideoWriter.ForSource(target, reader.Info, new VideoWriteOptions { Crf = crf }, copyAudio: false);
        foreach (var frame in reader.Frames()) writer.Write(frame.Image);
        writer.Complete();
        return target;
    }
}
