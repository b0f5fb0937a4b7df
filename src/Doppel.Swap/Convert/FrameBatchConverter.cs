using System.Runtime.ExceptionServices;
using Doppel.Core;
using Doppel.Faces.Extraction;
using Doppel.Media.Geometry;
using Doppel.Media.Imaging;
using Doppel.Swap.Convert.Smoothing;

namespace Doppel.Swap.Convert;

/// <summary>A frame to convert: where it came from (for alignments lookup), its number, and its pixels (converted in place).</summary>
public sealed record SourceFrame(string Source, long Index, RgbImage Image);

/// <summary>
/// Converts consecutive frames a batch at a time, so that the cores stay busy and the model runs
/// on many faces at once: faces are found in every frame of the batch in parallel, the tracked
/// face's alignment is smoothed in frame order (smoothing is sequential by nature), the model's
/// squares are cut in parallel, all faces of the batch go through the model in one pass (BLAS
/// spreads it over the cores), and colour matching and blending run per frame in parallel.
/// Every face is cut from the frame as decoded, before any face of that frame is pasted.
/// Only the largest face is tracked by the smoother; others are swapped unsmoothed.
/// </summary>
public sealed class FrameBatchConverter(FrameConverter converter, IFaceSource faces, IMatrixSmoother smoother, int threads)
{

    public StageTimes<ExtractStage> FindTimes { get; } = new();
    public long Frames { get; private set; }
    public long FramesWithFaces { get; private set; }
    public long Faces { get; private set; }

    /// <summary>A run of stills that are unrelated to each other: forget the tracked face.</summary>
    public void ResetTracking() => smoother.Reset();

    // Parallel.For wraps whatever a body throws in an AggregateException; an expected error (a
    // DoppelException, e.g. a frame missing from --alignments) must reach the user as itself, as
    // a one-line error rather than an internal one.
    private static void For(int count, ParallelOptions options, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, options, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    public void Convert(IReadOnlyList<SourceFrame> frames, CancellationToken cancel = default)
    {
        int n = frames.Count;
        var found = new IReadOnlyList<FaceToSwap>[n];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancel };
        For(n, options, i => found[i] = faces.Faces(frames[i].Source, frames[i].Index, frames[i].Image, FindTimes));

        var jobs = new List<(int Frame, FaceToSwap Face, AffineMatrix Matrix)>();
        for (int i = 0; i < n; i++)
        {
            if (found[i].Count == 0)
            {
                smoother.Reset(); // the face was lost: do not drag an old position into the next one
                continue;
            }
            FramesWithFaces++;
            for (int f = 0; f < found[i].Count; f++)
                jobs.Add((i, found[i][f], f == 0 ? smoother.Next(found[i][f].SourceToCrop) : found[i][f].SourceToCrop));
        }
        Frames += n;
        Faces += jobs.Count;
        if (jobs.Count == 0) return;

        var prepared = new PreparedFace[jobs.Count];
        For(jobs.Count, options, k => prepared[k] = converter.Prepare(frames[jobs[k].Frame].Image, jobs[k].Face.Landmarks, jobs[k].Matrix));
        long t0 = StageTimes<ConvertStage>.Now;
        SwappedFace[] swapped = converter.Swapper.SwapBatch(prepared.Select(p => p.Input).ToList());
        converter.Times.AddSince(ConvertStage.Model, t0);
        // Faces of one frame are pasted in order (they may overlap); frames are independent.
        For(n, options, i =>
        {
            for (int k = 0; k < jobs.Count; k++)
                if (jobs[k].Frame == i) converter.Finish(frames[i].Image, prepared[k], swapped[k]);
        });
    }
}
