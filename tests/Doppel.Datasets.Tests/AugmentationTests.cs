using Doppel.Datasets.Augmentation;
using Doppel.Datasets.FaceSets;
using Doppel.Datasets.Tests.Support;
using Doppel.Tensors.Nn;

namespace Doppel.Datasets.Tests;

public class AugmentationTests
{
    [Theory]
    [InlineData(2, 3)]
    [InlineData(7, 3)]
    [InlineData(16, 3)]
    [InlineData(17, 1)]
    [InlineData(64, 3)]
    public void RandomWarpWithZeroOffsetsReturnsTheInput(int size, int channels)
    {
        var source = new float[size * size * channels];
        new Rng(3).FillUniform(source, 0f, 1f);
        var output = new float[source.Length];
        RandomWarp.Apply(source, output, size, channels, new float[2 * RandomWarp.GridSize * RandomWarp.GridSize]);
        Assert.Equal(source, output);
    }

    [Fact]
    public void RandomWarpWithUniformOffsetShiftsTheImage()
    {
        // Every control point moved by +1 px in x: output(x) = source(x + 1), last column replicated.
        int size = 9;
        var source = new float[size * size];
        for (int i = 0; i < source.Length; i++) source[i] = i % size;
        var offsets = new float[50];
        Array.Fill(offsets, 1f, 0, 25);
        var output = new float[source.Length];
        RandomWarp.Apply(source, output, size, 1, offsets);
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                Assert.Equal(Math.Min(x + 1, size - 1), output[y * size + x], 5);
    }

    [Fact]
    public void RandomWarpOffsetsFollowTheSeed()
    {
        Assert.Equal(RandomWarp.ControlOffsets(new Rng(5), 1.5), RandomWarp.ControlOffsets(new Rng(5), 1.5));
        Assert.NotEqual(RandomWarp.ControlOffsets(new Rng(5), 1.5), RandomWarp.ControlOffsets(new Rng(6), 1.5));
        Assert.All(RandomWarp.ControlOffsets(new Rng(5), 0), v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(16)]
    public void FlippingTwiceIsTheIdentity(int size)
    {
        var image = new float[size * size * 3];
        new Rng(1).FillUniform(image, 0f, 1f);
        var copy = image.ToArray();
        HorizontalFlip.Apply(image, size, 3);
        if (size > 1) Assert.NotEqual(copy, image);
        Assert.Equal(copy[0..3], image.AsSpan((size - 1) * 3, 3).ToArray());
        HorizontalFlip.Apply(image, size, 3);
        Assert.Equal(copy, image);
    }

    [Fact]
    public void AugmenterIsDeterministicForASeed()
    {
        using var dir = new TempDir();
        var faces = Load(dir, landmarks: true);
        var aug = new FaceAugmenter(faces, AugmentOptions.Default);
        var (i1, t1, m1) = Sample(aug, 7);
        var (i2, t2, m2) = Sample(aug, 7);
        var (i3, _, _) = Sample(aug, 8);
        Assert.Equal(i1, i2);
        Assert.Equal(t1, t2);
        Assert.Equal(m1, m2);
        Assert.NotEqual(i1, i3);
    }

    [Fact]
    public void WithoutAugmentationTheInputIsTheTarget()
    {
        using var dir = new TempDir();
        var aug = new FaceAugmenter(Load(dir, landmarks: true), AugmentOptions.None);
        var (input, target, _) = Sample(aug, 1);
        Assert.Equal(target, input);
    }

    [Fact]
    public void TheWarpMovesOnlyTheInput()
    {
        using var dir = new TempDir();
        var faces = Load(dir, landmarks: true);
        var (_, plainTarget, plainMask) = Sample(new FaceAugmenter(faces, AugmentOptions.None), 2);
        var (input, target, mask) = Sample(new FaceAugmenter(faces, AugmentOptions.None with { WarpSigma = 0.05 }), 2);
        Assert.Equal(plainTarget, target);
        Assert.Equal(plainMask, mask);
        Assert.NotEqual(target, input);
    }

    [Fact]
    public void MaskWeightsEyesMouthFaceAndBackground()
    {
        var points = SyntheticFaceSets.Landmarks(64, 0);
        var mask = LandmarkMask.Render(points, 64);
        float At(double x, double y) => mask[(int)Math.Round(x), (int)Math.Round(y)] / LandmarkMask.Scale;
        double eyeX = (points[2 * 36] + points[2 * 39]) / 2, eyeY = (points[2 * 37 + 1] + points[2 * 40 + 1]) / 2;
        Assert.Equal(3f, At(eyeX, eyeY));
        Assert.Equal(2f, At(points[2 * 62], points[2 * 62 + 1]));
        Assert.Equal(1f, At(points[2 * 30], points[2 * 30 + 1] - 3));
        Assert.Equal(0f, At(1, 1));
    }

    private static (float[] Input, float[] Target, float[] Mask) Sample(FaceAugmenter aug, ulong seed)
    {
        int s = aug.InputSize;
        var input = new float[s * s * 3];
        var target = new float[s * s * 3];
        var mask = new float[s * s];
        aug.Write(1, new Rng(seed), input, target, mask);
        return (input, target, mask);
    }

    private static TrainingFaces Load(TempDir dir, bool landmarks, int person = 0)
    {
        string folder = SyntheticFaceSets.Write(dir.Sub($"set{person}"), 4, 32, person, landmarks);
        return TrainingFaces.Load(FaceSet.Open(folder), 16, 0.75);
    }
}
