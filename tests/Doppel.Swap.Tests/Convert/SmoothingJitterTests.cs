using System.Numerics;
using Doppel.Media.Geometry;
using Doppel.Media.Video;
using Doppel.Swap.Convert;
using Doppel.Swap.Convert.Smoothing;
using Xunit.Abstractions;

namespace Doppel.Swap.Tests.Convert;

/// <summary>
/// Temporal smoothing measured on a real clip: the first 60 frames of franck.mp4 (a man talking
/// to the camera, his head moving a little all the time), aligned by the real detector and
/// landmarks. A few fixed crop points (the crop's centre and the template's eye centres) are
/// mapped back into the frame through each alignment, and measured in inter-ocular distances:
/// <list type="bullet">
/// <item>displacement: how far they move from one frame to the next (real motion plus jitter);</item>
/// <item>jerk: how much that displacement changes from one frame to the next (second difference),
/// which smooth motion hardly has and landmark noise has a lot of;</item>
/// <item>lag: how far the smoothed points sit from the measured ones (mean and worst frame).</item>
/// </list>
/// The displacement of this clip is mostly real motion: a centred five-frame average of the raw
/// points, which removes noise without any lag, still moves 83% as much as the raw points. A
/// causal smoother can only go below that by falling behind the face, so the jitter it must cut
/// is asserted on the jerk, and the displacement only must not grow.
/// </summary>
public class SmoothingJitterTests(ITestOutputHelper output)
{
    private const int Frames = 60;
    // The measured alignments of each frame (null: no face), from the shared extractor, once for all cases.
    private static readonly Lazy<AffineMatrix?[]> Measured = new(MeasureTrack);

    [Theory]
    [InlineData("ema")]
    [InlineData("oneeuro")]
    public void SmoothingCutsJitterWithoutLaggingBehind(string name)
    {
        var raw = Measured.Value.Select(m => m is { } matrix ? InFrame(matrix) : null).ToArray();
        Assert.True(raw.Count(p => p is not null) >= Frames - 3, $"faces in only {raw.Count(p => p is not null)} of {Frames} frames");
        var smoothed = Smooth(ConvertPlugins.Smoothing.Create(name));
        var (rawMove, rawJerk) = (Displacement(raw), Jerk(raw));
        var (move, jerk) = (Displacement(smoothed), Jerk(smoothed));
        var (lag, worstLag) = Lag(raw, smoothed);
        output.WriteLine($"raw: displacement {rawMove:F4}, jerk {rawJerk:F4} (inter-ocular distances per frame; eye distance {EyeDistance(raw.First(p => p is not null)!):F1} px)");
        output.WriteLine($"{name}: displacement {move:F4} ({move / rawMove:P0}), jerk {jerk:F4} ({jerk / rawJerk:P0}), lag {lag:F4} mean, {worstLag:F4} worst");
        output.WriteLine($"motion floor (centred 5-frame average of the raw points): displacement {Displacement(CentredAverage(raw)):F4}");

        Assert.True(jerk < 0.7 * rawJerk, $"jerk {jerk:F4} is not clearly below the raw {rawJerk:F4}");
        Assert.True(move < rawMove, $"displacement {move:F4} grew from the raw {rawMove:F4}");
        Assert.True(lag < 0.03, $"the smoothed track lags {lag:F4} inter-ocular distances behind on average");
        Assert.True(worstLag < 0.08, $"the smoothed track lags {worstLag:F4} inter-ocular distances behind at worst");
    }

    [Fact]
    public void TheDefaultIsOneOfTheMeasuredSmoothers() =>
        Assert.Contains(new ConvertOptions { Input = "-", ModelDir = "-", Output = "-" }.Smoothing, new[] { "ema", "oneeuro" });

    private static AffineMatrix?[] MeasureTrack()
    {
        var track = new AffineMatrix?[Frames];
        using var reader = new VideoReader(ConvertFixtures.Franck, new VideoReadOptions { MaxFrames = Frames });
        foreach (var frame in reader.Frames())
        {
            var faces = ConvertFixtures.Extractor.Extract(frame.Image);
            track[frame.Index] = faces.Count > 0 ? faces[0].Matrix : null;
        }
        return track;
    }

    private static Vector2[]?[] Smooth(IMatrixSmoother smoother)
    {
        var measured = Measured.Value;
        var result = new Vector2[]?[Frames];
        for (int t = 0; t < Frames; t++)
        {
            if (measured[t] is { } m) result[t] = InFrame(smoother.Next(m));
            else smoother.Reset(); // as the converter does when a frame has no face
        }
        return result;
    }

    /// <summary>The crop's centre and the template's two eye centres mapped into the frame.</summary>
    private static Vector2[] InFrame(AffineMatrix sourceToCrop)
    {
        var aligner = ConvertFixtures.Extractor.Aligner;
        var template = aligner.TemplateInCrop.ToArray();
        Vector2 Mean(int from, int to) => template[from..(to + 1)].Aggregate(Vector2.Zero, (a, b) => a + b) / (to - from + 1);
        float c = (aligner.Geometry.Size - 1) / 2f;
        var inverse = sourceToCrop.Invert();
        return new[] { new Vector2(c, c), Mean(36, 41), Mean(42, 47) }.Select(p =>
        {
            var (x, y) = inverse.Transform(p.X, p.Y);
            return new Vector2((float)x, (float)y);
        }).ToArray();
    }

    private static double EyeDistance(Vector2[] points) => Vector2.Distance(points[1], points[2]);

    /// <summary>Mean over consecutive frames with a face of the points' mean displacement, in eye distances.</summary>
    private static double Displacement(Vector2[]?[] track) => MeanOver(track, 1, t =>
        track[t]!.Zip(track[t - 1]!, Vector2.Distance).Average());

    /// <summary>Mean over three consecutive frames with a face of |p(t+1) - 2 p(t) + p(t-1)|, in eye distances.</summary>
    private static double Jerk(Vector2[]?[] track) => MeanOver(track, 2, t =>
        Enumerable.Range(0, 3).Average(k => (track[t]![k] - 2 * track[t - 1]![k] + track[t - 2]![k]).Length()));

    private static double MeanOver(Vector2[]?[] track, int span, Func<int, double> measure)
    {
        double sum = 0;
        int n = 0;
        for (int t = span; t < track.Length; t++)
        {
            bool all = true;
            for (int k = 0; k <= span; k++) all &= track[t - k] is not null;
            if (!all) continue;
            sum += measure(t) / EyeDistance(track[t]!);
            n++;
        }
        return sum / n;
    }

    private static (double Mean, double Worst) Lag(Vector2[]?[] raw, Vector2[]?[] smoothed)
    {
        var lags = Enumerable.Range(0, Frames).Where(t => raw[t] is not null && smoothed[t] is not null)
            .Select(t => raw[t]!.Zip(smoothed[t]!, Vector2.Distance).Average() / EyeDistance(raw[t]!)).ToList();
        return (lags.Average(), lags.Max());
    }

    /// <summary>Each point averaged over frames t-2..t+2 (where all five have a face): noise out, no lag.</summary>
    private static Vector2[]?[] CentredAverage(Vector2[]?[] track)
    {
        var result = new Vector2[]?[track.Length];
        for (int t = 2; t < track.Length - 2; t++)
        {
            if (Enumerable.Range(t - 2, 5).Any(k => track[k] is null)) continue;
            result[t] = Enumerable.Range(0, 3).Select(j => Enumerable.Range(t - 2, 5).Aggregate(Vector2.Zero, (a, k) => a + track[k]![j]) / 5).ToArray();
        }
        return result;
    }
}
