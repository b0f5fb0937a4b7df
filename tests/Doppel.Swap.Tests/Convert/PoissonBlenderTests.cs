using Doppel.Media.Imaging;
using Doppel.Swap.Convert;
using Doppel.Swap.Convert.Blend;
using Xunit.Abstractions;

namespace Doppel.Swap.Tests.Convert;

/// <summary>Seamless cloning on small synthetic frames: what it must reproduce, what it must not touch, and the seam it removes.</summary>
public class PoissonBlenderTests(ITestOutputHelper output)
{
    [Fact]
    public void IsRegisteredAsABlendMode() =>
        Assert.IsType<PoissonBlender>(ConvertPlugins.Blend.Create("poisson"));

    [Theory]
    [InlineData(64, 48, 10, 12, false)]
    [InlineData(37, 41, 3, 5, true)]   // odd sizes: coarse grids with half-empty last blocks
    public void AFaceThatIsTheFramePlusAConstantGivesBackTheFrame(int w, int h, int x0, int y0, bool hardEdge)
    {
        var frame = Textured(120, 100, seed: 1);
        var (face, alpha) = Offset(frame, x0, y0, w, h, (40, -30, 25), hardEdge);
        var result = frame.Clone();
        new PoissonBlender().Blend(result, new FacePatch(x0, y0, face, alpha));
        // Same gradients inside, frame values around: the membrane is exactly -offset, so only rounding remains.
        Assert.True(MaxDifference(result, frame) <= 1, $"max difference {MaxDifference(result, frame)}");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(1, 9)]
    [InlineData(3, 3)]
    [InlineData(8, 7)]
    [InlineData(9, 16)]
    [InlineData(17, 15)]
    [InlineData(33, 65)]
    public void AwkwardBoxSizesMatchTheReference(int w, int h)
    {
        // A full-box mask: every box edge is a boundary, and the coarse grids' last blocks are half empty.
        var frame = Textured(80, 80, seed: 2);
        var face = Textured(w, h, seed: 3 + w * h, stripes: true);
        var alpha = new GrayImage(w, h);
        Array.Fill(alpha.Data, (byte)255);
        var result = frame.Clone();
        new PoissonBlender().Blend(result, new FacePatch(5, 6, face, alpha));
        var expected = ReferenceClone(frame, face, alpha, 5, 6);
        int worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - result.Data[i]));
        Assert.True(worst <= 1, $"{w}x{h}: worst difference from the reference {worst}");
    }

    [Fact]
    public void AtTheFramesCornerTheEdgeIsFreeAndTheConstantStillCancels()
    {
        var frame = Textured(70, 60, seed: 3);
        // The box is the frame's top-left 40 x 30 and the mask reaches its top and left edges: no frame beyond them.
        var face = frame.Crop(0, 0, 40, 30);
        for (int i = 0; i < face.Data.Length; i++) face.Data[i] = (byte)(face.Data[i] - 25);
        var alpha = new GrayImage(40, 30);
        for (int y = 0; y < 30; y++)
            for (int x = 0; x < 40; x++)
                alpha[x, y] = (byte)(x < 30 && y < 22 ? 255 : 0);
        var result = frame.Clone();
        new PoissonBlender().Blend(result, new FacePatch(0, 0, face, alpha));
        Assert.True(MaxDifference(result, frame) <= 1, $"max difference {MaxDifference(result, frame)}");
    }

    [Fact]
    public void MatchesADoublePrecisionReferenceSolve()
    {
        var frame = Textured(60, 50, seed: 4);
        var face = Textured(36, 30, seed: 5);
        var alpha = Disc(36, 30, feather: 4);
        var result = frame.Clone();
        new PoissonBlender().Blend(result, new FacePatch(12, 9, face, alpha));
        var expected = ReferenceClone(frame, face, alpha, 12, 9);
        int worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - result.Data[i]));
        // Rounding alone allows 1; the solver stops at a residual that keeps it well under another level.
        Assert.True(worst <= 1, $"worst difference from the reference {worst}");
    }

    [Fact]
    public void PixelsOutsideTheBoxAndWhereAlphaIsZeroAreUntouched()
    {
        var frame = Textured(90, 70, seed: 6);
        var face = Textured(40, 35, seed: 7);
        var alpha = Disc(40, 35, feather: 5);
        // Holes in the mask: a zero column and a zero block inside the disc.
        for (int y = 0; y < 35; y++) alpha[20, y] = 0;
        for (int y = 14; y < 20; y++)
            for (int x = 8; x < 14; x++)
                alpha[x, y] = 0;
        var result = frame.Clone();
        new PoissonBlender().Blend(result, new FacePatch(30, 20, face, alpha));
        int changedInside = 0;
        for (int y = 0; y < frame.Height; y++)
        {
            for (int x = 0; x < frame.Width; x++)
            {
                bool inBox = x >= 30 && x < 70 && y >= 20 && y < 55;
                bool held = !inBox || alpha[x - 30, y - 20] == 0;
                if (held) Assert.Equal(frame.GetPixel(x, y), result.GetPixel(x, y));
                else if (frame.GetPixel(x, y) != result.GetPixel(x, y)) changedInside++;
            }
        }
        Assert.True(changedInside > 300, $"only {changedInside} masked pixels changed");
    }

    [Theory]
    [InlineData(0, 0.25)]   // a hard-edged mask
    [InlineData(6, 0.35)]   // a feathered one, as the converter makes
    public void TheSeamIsMuchSmallerThanFeatherBlendingsWhenTheFacesColourIsOff(int feather, double ratio)
    {
        // Little pixel noise: gradients that differ pixel by pixel are kept by cloning, and would hide the seam.
        var frame = Textured(110, 100, seed: 8, noise: 4);
        var face = Textured(70, 64, seed: 9, stripes: true, noise: 4);
        for (int i = 0; i < face.Data.Length; i += 3) face.Data[i] = (byte)Math.Min(255, face.Data[i] + 60); // far too red
        var alpha = Disc(70, 64, feather);
        var patch = new FacePatch(20, 18, face, alpha);
        RgbImage poisson = frame.Clone(), feathered = frame.Clone();
        new PoissonBlender().Blend(poisson, patch);
        new FeatherBlender().Blend(feathered, patch);
        double seamPoisson = Seam(frame, poisson, patch), seamFeather = Seam(frame, feathered, patch);
        output.WriteLine($"seam (mean |result - frame| just inside the mask edge): poisson {seamPoisson:F2}, feather {seamFeather:F2}");
        Assert.True(seamFeather > 10, $"the test's colour shift did not show with feathering ({seamFeather:F1})");
        Assert.True(seamPoisson < ratio * seamFeather, $"seam: poisson {seamPoisson:F2}, feather {seamFeather:F2}");
    }

    [Fact]
    public void AnEmptyMaskChangesNothing()
    {
        var frame = Textured(50, 40, seed: 10);
        var result = frame.Clone();
        new PoissonBlender().Blend(result, new FacePatch(5, 5, Textured(20, 20, seed: 11), new GrayImage(20, 20)));
        Assert.Equal(frame.Data, result.Data);
    }

    [Fact]
    public void AFullBoxMaskMatchesTheFrameAroundTheBox()
    {
        var frame = Textured(60, 60, seed: 12);
        var face = Textured(30, 30, seed: 13, stripes: true);
        var alpha = new GrayImage(30, 30);
        Array.Fill(alpha.Data, (byte)255);
        var result = frame.Clone();
        new PoissonBlender().Blend(result, new FacePatch(15, 15, face, alpha));
        // The box's outermost pixels now continue the frame around them much better than the raw face does.
        double raw = 0, cloned = 0;
        for (int k = 0; k < 30; k++)
        {
            raw += Math.Abs(face.GetPixel(k, 0).R - frame.GetPixel(15 + k, 14).R);
            cloned += Math.Abs(result.GetPixel(15 + k, 15).R - frame.GetPixel(15 + k, 14).R);
        }
        Assert.True(cloned < 0.5 * raw, $"top edge mismatch: cloned {cloned / 30:F1}, raw {raw / 30:F1}");
    }

    [Fact]
    public void AMaskCoveringTheWholeFrameHasNothingToMatchAndGivesTheFace()
    {
        var frame = Textured(24, 20, seed: 14);
        var face = Textured(24, 20, seed: 15);
        var alpha = new GrayImage(24, 20);
        Array.Fill(alpha.Data, (byte)255);
        var result = frame.Clone();
        new PoissonBlender().Blend(result, new FacePatch(0, 0, face, alpha));
        Assert.Equal(face.Data, result.Data);
    }

    [Fact]
    public void OneInstanceOnManyThreadsGivesTheSameBytesAsOneThread()
    {
        var blender = new PoissonBlender();
        var patches = Enumerable.Range(0, 12).Select(k => new FacePatch(3 + k, 4 + k % 5, Textured(30 + k * 3, 28 + k * 2, seed: 20 + k), Disc(30 + k * 3, 28 + k * 2, feather: 3))).ToArray();
        var frames = Enumerable.Range(0, patches.Length).Select(k => Textured(100, 90, seed: 40 + k)).ToArray();
        var sequential = frames.Select(f => f.Clone()).ToArray();
        for (int k = 0; k < patches.Length; k++) blender.Blend(sequential[k], patches[k]);
        var parallel = frames.Select(f => f.Clone()).ToArray();
        Parallel.For(0, patches.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, k => blender.Blend(parallel[k], patches[k]));
        for (int k = 0; k < patches.Length; k++) Assert.Equal(sequential[k].Data, parallel[k].Data);
    }

    [Fact]
    public void APatchOutsideTheFrameIsRefused()
    {
        var frame = Textured(20, 20, seed: 16);
        Assert.Throws<ArgumentException>(() => new PoissonBlender().Blend(frame, new FacePatch(10, 10, Textured(15, 5, seed: 17), new GrayImage(15, 5))));
    }

    /// <summary>A smooth gradient plus noise (optionally vertical stripes), values kept in 40..210 so offsets of +-40 do not clip.</summary>
    internal static RgbImage Textured(int w, int h, int seed, bool stripes = false, int noise = 20)
    {
        var rng = new Random(seed);
        var image = new RgbImage(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int stripe = stripes && (x / 4) % 2 == 0 ? 25 : 0;
                image.SetPixel(x, y, (byte)(40 + 80 * x / w + rng.Next(noise) + stripe), (byte)(60 + 70 * y / h + rng.Next(noise)), (byte)(90 + rng.Next(2 * noise) + stripe / 2));
            }
        return image;
    }

    /// <summary>An ellipse filling most of the box, alpha 255 inside, ramping to 0 over <paramref name="feather"/> px (0: a hard edge).</summary>
    internal static GrayImage Disc(int w, int h, int feather)
    {
        var alpha = new GrayImage(w, h);
        double rx = w * 0.4, ry = h * 0.4;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double dx = (x - (w - 1) / 2.0) / rx, dy = (y - (h - 1) / 2.0) / ry;
                double inside = (1 - Math.Sqrt(dx * dx + dy * dy)) * Math.Min(rx, ry); // px inside the ellipse, roughly
                alpha[x, y] = feather == 0 ? (byte)(inside > 0 ? 255 : 0) : (byte)Math.Round(255 * Math.Clamp(inside / feather, 0, 1));
            }
        return alpha;
    }

    private static (RgbImage Face, GrayImage Alpha) Offset(RgbImage frame, int x0, int y0, int w, int h, (int R, int G, int B) offset, bool hardEdge)
    {
        var face = frame.Crop(x0, y0, w, h);
        for (int i = 0; i < face.Data.Length; i += 3)
        {
            face.Data[i] = (byte)(face.Data[i] + offset.R);
            face.Data[i + 1] = (byte)(face.Data[i + 1] + offset.G);
            face.Data[i + 2] = (byte)(face.Data[i + 2] + offset.B);
        }
        return (face, Disc(w, h, hardEdge ? 0 : 5));
    }

    private static int MaxDifference(RgbImage a, RgbImage b)
    {
        int worst = 0;
        for (int i = 0; i < a.Data.Length; i++) worst = Math.Max(worst, Math.Abs(a.Data[i] - b.Data[i]));
        return worst;
    }

    /// <summary>Mean |result - frame| over the masked pixels within 2 px of an unmasked one: the seam a viewer sees.</summary>
    private static double Seam(RgbImage frame, RgbImage result, FacePatch patch)
    {
        int w = patch.Alpha.Width, h = patch.Alpha.Height;
        double sum = 0;
        int n = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                if (patch.Alpha[x, y] < 128) continue;
                bool nearEdge = false;
                for (int dy = -2; dy <= 2 && !nearEdge; dy++)
                    for (int dx = -2; dx <= 2; dx++)
                    {
                        int nx = x + dx, ny = y + dy;
                        if (nx < 0 || ny < 0 || nx >= w || ny >= h || patch.Alpha[nx, ny] < 128) { nearEdge = true; break; }
                    }
                if (!nearEdge) continue;
                for (int c = 0; c < 3; c++)
                {
                    int i = ((patch.Y + y) * frame.Width + patch.X + x) * 3 + c;
                    sum += Math.Abs(result.Data[i] - frame.Data[i]);
                }
                n += 3;
            }
        return sum / n;
    }

    /// <summary>The same cloning computed independently: SOR in double precision on each channel's membrane, run to 1e-9.</summary>
    private static byte[] ReferenceClone(RgbImage frame, RgbImage face, GrayImage alpha, int x0, int y0)
    {
        int w = face.Width, h = face.Height, fw = frame.Width, fh = frame.Height;
        var output = (byte[])frame.Data.Clone();
        bool Region(int x, int y) => x >= 0 && y >= 0 && x < w && y < h && alpha[x, y] > 0;
        for (int c = 0; c < 3; c++)
        {
            var d = new double[w * h];
            for (int sweep = 0; sweep < 20000; sweep++)
            {
                double change = 0;
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                    {
                        if (!Region(x, y)) continue;
                        double sum = 0;
                        int count = 0;
                        foreach (var (dx, dy) in new[] { (-1, 0), (1, 0), (0, -1), (0, 1) })
                        {
                            int nx = x + dx, ny = y + dy, gx = x0 + nx, gy = y0 + ny;
                            if (gx < 0 || gy < 0 || gx >= fw || gy >= fh) continue;
                            count++;
                            if (Region(nx, ny)) { sum += d[ny * w + nx]; continue; }
                            bool inBox = nx >= 0 && ny >= 0 && nx < w && ny < h;
                            int fx = inBox ? nx : x, fy = inBox ? ny : y;
                            sum += frame.Data[(gy * fw + gx) * 3 + c] - face.Data[(fy * w + fx) * 3 + c];
                        }
                        double next = sum / count, old = d[y * w + x];
                        d[y * w + x] = old + 1.8 * (next - old);
                        change = Math.Max(change, Math.Abs(next - old));
                    }
                if (change < 1e-9) break;
            }
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    int a = alpha[x, y];
                    if (a == 0) continue;
                    int i = ((y0 + y) * fw + x0 + x) * 3 + c;
                    double cloned = Math.Clamp(face.Data[(y * w + x) * 3 + c] + d[y * w + x], 0, 255);
                    output[i] = (byte)Math.Round(frame.Data[i] + a / 255.0 * (cloned - frame.Data[i]), MidpointRounding.AwayFromZero);
                }
        }
        return output;
    }
}
