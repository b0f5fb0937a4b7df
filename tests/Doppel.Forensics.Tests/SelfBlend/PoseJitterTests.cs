using Doppel.Forensics.SelfBlend;
using Doppel.Forensics.Tests.Support;
using Doppel.Media.Imaging;
using Doppel.Tensors.Nn;

namespace Doppel.Forensics.Tests.SelfBlend;

/// <summary>The pose change before self-blending: landmarks move with the pixels, real and fake share it, and the mask follows the moved face.</summary>
public class PoseJitterTests
{
    private const int Size = 96;
    private static IReadOnlyList<RealFace> Faces => RealFaces.Of("cap12_edit", Size);

    [Fact]
    public void TheLandmarksMoveWithThePixels()
    {
        // One bright dot on black: after the warp the brightest pixel is where the moved point says.
        for (int seed = 0; seed < 20; seed++)
        {
            var rng = new Rng((ulong)seed);
            int x = 30 + rng.Next(36), y = 30 + rng.Next(36);
            var image = new RgbImage(Size, Size);
            for (int c = 0; c < 3; c++) image.Data[(y * Size + x) * 3 + c] = 255;
            var pose = PoseJitter.Draw(Size, rng, maxDegrees: 12, scale: 0.1, shift: 0.05);
            var moved = PoseJitter.Apply(image, pose);
            var point = PoseJitter.Apply([(float)x, (float)y], pose);
            int best = 0;
            for (int p = 1; p < Size * Size; p++) if (moved.Data[3 * p] > moved.Data[3 * best]) best = p;
            Assert.True(moved.Data[3 * best] > 40, $"seed {seed}: the dot faded to {moved.Data[3 * best]}");
            Assert.InRange(best % Size, point[0] - 1, point[0] + 1);
            Assert.InRange(best / Size, point[1] - 1, point[1] + 1);
        }
    }

    [Fact]
    public void ItStaysWithinItsLimits()
    {
        double c = (Size - 1) / 2.0;
        for (int seed = 0; seed < 200; seed++)
        {
            var pose = PoseJitter.Draw(Size, new Rng((ulong)seed), maxDegrees: 12, scale: 0.1, shift: 0.05);
            double s = Math.Sqrt(pose.Determinant), degrees = Math.Atan2(pose.D, pose.A) * 180 / Math.PI;
            var (cx, cy) = pose.Transform(c, c);
            Assert.InRange(s, 0.9 - 1e-9, 1.1 + 1e-9);
            Assert.InRange(degrees, -12 - 1e-9, 12 + 1e-9);
            Assert.InRange(cx - c, -0.05 * Size - 1e-9, 0.05 * Size + 1e-9);
            Assert.InRange(cy - c, -0.05 * Size - 1e-9, 0.05 * Size + 1e-9);
        }
    }

    [Fact]
    public void RealAndFakeAreTurnedAlikeAndTheMaskFollows()
    {
        var generator = new SelfBlendGenerator(SelfBlendOptions.None with { PoseJitterProbability = 1, Shift = 0.05 });
        var face = Faces[2];
        var rng = new Rng(21);
        var pair = generator.Make(face.Image, face.Landmarks, rng);
        // The same draws by hand: the pose first, then the blend of the moved face and landmarks.
        var again = new Rng(21);
        again.NextDouble(); // the draw that decides whether to jitter
        var pose = PoseJitter.Draw(Size, again, 12, 0.1, 0.05);
        var movedFace = PoseJitter.Apply(face.Image, pose);
        Assert.Equal(movedFace.Data, pair.Real.Data);
        Assert.NotEqual(face.Image.Data, pair.Real.Data);
        var blend = new SelfBlendGenerator(SelfBlendOptions.None with { Shift = 0.05 }).Blend(movedFace, PoseJitter.Apply(face.Landmarks, pose), again);
        Assert.Equal(blend.Fake.Data, pair.Fake.Data);
        Assert.Equal(blend.Weights, pair.Weights);
    }

    [Fact]
    public void OffByDefaultAndThenDrawsNothing()
    {
        // With the pose change off, Make draws exactly what Blend draws: recipes made before it
        // keep every random draw they had.
        Assert.Equal(0, SelfBlendOptions.Default.PoseJitterProbability);
        var generator = new SelfBlendGenerator(SelfBlendOptions.None with { Shift = 0.05 });
        var face = Faces[4];
        var pair = generator.Make(face.Image, face.Landmarks, new Rng(5));
        var blend = generator.Blend(face.Image, face.Landmarks, new Rng(5));
        Assert.Equal(face.Image.Data, pair.Real.Data);
        Assert.Equal(blend.Fake.Data, pair.Fake.Data);
    }
}
