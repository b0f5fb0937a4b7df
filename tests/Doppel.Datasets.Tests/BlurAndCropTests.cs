using Doppel.Datasets.Augmentation;
using Doppel.Datasets.FaceSets;
using Doppel.Datasets.Tests.Support;
using Doppel.Media.Imaging;
using Doppel.Media.Png;
using Doppel.Tensors.Nn;

namespace Doppel.Datasets.Tests;

public class BlurAndCropTests
{
    [Theory]
    [InlineData(1, 3, 0.5)]
    [InlineData(7, 3, 1.5)]
    [InlineData(16, 1, 3.0)]
    public void BlurKeepsAFlatImageFlat(int size, int channels, double sigma)
    {
        var image = new float[size * size * channels];
        Array.Fill(image, 0.37f);
        GaussianBlur.Apply(image, size, channels, sigma);
        Assert.All(image, v => Assert.Equal(0.37f, v, 5));
    }

    [Fact]
    public void BlurSpreadsAPointSymmetricallyAndKeepsItsMass()
    {
        int size = 21, c = 10;
        var image = new float[size * size];
        image[c * size + c] = 1f;
        GaussianBlur.Apply(image, size, 1, 1.5);
        Assert.Equal(1f, image.Sum(), 4);                                 // far from the edges nothing is lost
        Assert.True(image[c * size + c] < 0.1f, "the peak spreads");
        Assert.Equal(image[c * size + c - 2], image[c * size + c + 2], 6); // left = right
        Assert.Equal(image[(c - 2) * size + c], image[c * size + c - 2], 6); // up = left
        Assert.True(image[c * size + c - 1] > image[c * size + c - 3]);    // falls off with distance
    }

    [Fact]
    public void BlurWithSigmaZeroChangesNothing()
    {
        var image = new float[8 * 8 * 3];
        new Rng(5).FillUniform(image, 0f, 1f);
        var copy = (float[])image.Clone();
        GaussianBlur.Apply(image, 8, 3, 0);
        Assert.Equal(copy, image);
    }

    [Fact]
    public void CropsFromMemoryAreResampledExactlyAsCropsFromDisk()
    {
        using var dir = new TempDir();
        string set = SyntheticFaceSets.Write(dir.Sub("a"), 3, 128, person: 0, landmarks: false);
        var fromDisk = TrainingFaces.Load(FaceSet.Open(set), 32, 0.5);
        var crops = FaceSet.Open(set).CropPaths.Select(p => PngReader.Read(p)).ToList();
        var fromMemory = TrainingFaces.FromCrops(crops, 32, 0.5);
        Assert.Equal(fromDisk.Count, fromMemory.Count);
        Assert.Equal(fromDisk.StoredSize, fromMemory.StoredSize);
        Assert.False(fromMemory.HasMasks);
        for (int i = 0; i < fromDisk.Count; i++) Assert.Equal(fromDisk.Face(i).Data, fromMemory.Face(i).Data);
    }

    [Fact]
    public void CropsFromMemoryMustShareOneSize()
    {
        Assert.Throws<ArgumentException>(() => TrainingFaces.FromCrops([new RgbImage(128, 128), new RgbImage(96, 96)], 32, 0.5));
        Assert.Throws<ArgumentException>(() => TrainingFaces.FromCrops([], 32, 0.5));
    }
}
