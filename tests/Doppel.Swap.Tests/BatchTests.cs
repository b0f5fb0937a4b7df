using Doppel.Datasets.Augmentation;
using Doppel.Datasets.FaceSets;
using Doppel.Swap.Data;
using Doppel.Swap.Models;

namespace Doppel.Swap.Tests;

/// <summary>The two-side batches the swap trainer takes, built from augmented face sets.</summary>
public class BatchTests
{
    [Fact]
    public void BatchesDependOnlyOnSeedAndIterationAndArriveInOrderFromTheLoader()
    {
        using var dir = new TempDir();
        var a = Load(dir, landmarks: true, person: 0);
        var b = Load(dir, landmarks: true, person: 1);
        var builder = new BatchBuilder(a, b, AugmentOptions.Default, 4, 11);
        using var direct = builder.Build(5);
        using var pipeline = new BatchPipeline(builder, 3);
        using (pipeline.Take(3)) { }
        using (pipeline.Take(4)) { }
        using var queued = pipeline.Take(5);
        Assert.Equal(direct.A.Input.ToArray(), queued.A.Input.ToArray());
        Assert.Equal(direct.B.Target.ToArray(), queued.B.Target.ToArray());
        Assert.Equal(direct.B.Mask!.ToArray(), queued.B.Mask!.ToArray());
        Assert.NotEqual(BatchBuilder.SeedFor(11, 5, Side.A), BatchBuilder.SeedFor(11, 5, Side.B));
    }

    private static TrainingFaces Load(TempDir dir, bool landmarks, int person = 0)
    {
        string folder = SyntheticFaceSets.Write(dir.Sub($"set{person}"), 4, 32, person, landmarks);
        return TrainingFaces.Load(FaceSet.Open(folder), 16, 0.75);
    }
}
