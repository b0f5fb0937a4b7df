using Doppel.Forensics.Compression;
using Doppel.Media.Geometry;
using Doppel.Media.Imaging;
using Doppel.Tensors.Nn;

namespace Doppel.Forensics.SelfBlend;

/// <summary>
/// One self-blended fake before the pair's shared changes: <see cref="Source"/> pasted onto
/// <see cref="Target"/> through <see cref="Weights"/> (per pixel r m, so <c>Fake = w Source +
/// (1 - w) Target</c>). Both copies come from the same face; one of them
/// (<see cref="SourceChanged"/> says which) was changed in colour and sharpness. With
/// <see cref="DecoderLike"/> the changed copy is the source, made like a swap decoder's output
/// (<see cref="DecoderLikePaste"/>).
/// </summary>
public sealed record SelfBlendImage(RgbImage Source, RgbImage Target, float[] Weights, float Ratio, bool SourceChanged, RgbImage Fake, bool DecoderLike = false);

/// <summary>A training pair from one real face: the real, its self-blended fake and the fake's blend weights (0 on the real).</summary>
public sealed record SelfBlendPair(RgbImage Real, RgbImage Fake, float[] Weights, float Ratio);

/// <summary>
/// Self-Blended Images (Shiohara &amp; Yamasaki, CVPR 2022): a training fake made from one real
/// face and a slightly changed copy of itself (colour, hue, brightness and contrast, then a
/// down-and-up-scale or a sharpen), the source shifted and scaled a little, pasted through the
/// elastic, blurred landmark-hull mask (<see cref="BlendMask"/>) at a random ratio. Real and fake
/// then get the same colour jitter, JPEG round trip and flip. Identity, pose, expression and
/// background are the real's, so a detector can only learn the paste traces (colour and
/// sharpness seams, the blend boundary), which every swap tool that pastes a face leaves too.
/// Every random choice comes from the generator passed in, so a seed gives the same pair.
/// </summary>
public sealed class SelfBlendGenerator(SelfBlendOptions? options = null)
{
    public SelfBlendOptions Options { get; } = options ?? SelfBlendOptions.Default;

    /// <param name="face">A square aligned face.</param>
    /// <param name="landmarks">Its 68 landmarks in the face's pixels (x0, y0, x1, y1, ...).</param>
    public SelfBlendPair Make(RgbImage face, ReadOnlySpan<float> landmarks, Rng rng)
    {
        if (DrawPose(face.Width, rng) is { } pose)
        {
            face = PoseJitter.Apply(face, pose);
            landmarks = PoseJitter.Apply(landmarks, pose);
        }
        var blend = Blend(face, landmarks, rng);
        var (images, weights) = SharedChanges([face.Clone(), blend.Fake], blend.Weights, rng);
        return new SelfBlendPair(images[0], images[1], weights!, blend.Ratio);
    }

    /// <summary>The changes a pair shares, for a lone image (a real fake given to the trainer): pose, colour jitter, resolution or sharpening, noise, JPEG, flip.</summary>
    public RgbImage Augment(RgbImage image, Rng rng) =>
        SharedChanges([DrawPose(image.Width, rng) is { } pose ? PoseJitter.Apply(image, pose) : image.Clone()], null, rng).Images[0];

    /// <summary>A pose change for this pair, or null. Drawn only when enabled, so that recipes without it keep their random sequence.</summary>
    private AffineMatrix? DrawPose(int size, Rng rng) =>
        Options.PoseJitterProbability > 0 && rng.NextDouble() < Options.PoseJitterProbability
            ? PoseJitter.Draw(size, rng, Options.PoseMaxDegrees, Options.PoseScale, Options.PoseShift)
            : null;

    /// <summary>The same colour jitter, resolution or sharpening, noise, JPEG quality and flip on every image (in place where it can), and the flip on the weights.</summary>
    private (RgbImage[] Images, float[]? Weights) SharedChanges(RgbImage[] images, float[]? weights, Rng rng)
    {
        var color = ColorChange.Draw(Options.PairColor, rng);
        foreach (var image in images) color.Apply(image);
        if (Options.PairDownUpScaleProbability > 0 && rng.NextDouble() < Options.PairDownUpScaleProbability)
        {
            double factor = Uniform(rng, Options.MinPairDownscale, Options.MaxPairDownscale);
            for (int i = 0; i < images.Length; i++) images[i] = Sharpness.DownUpScale(images[i], factor);
        }
        else if (Options.PairSharpenProbability > 0 && rng.NextDouble() < Options.PairSharpenProbability)
        {
            double amount = Uniform(rng, Options.MinSharpen, Options.MaxSharpen);
            for (int i = 0; i < images.Length; i++) images[i] = Sharpness.Sharpen(images[i], amount);
        }
        if (Options.PairNoiseProbability > 0 && rng.NextDouble() < Options.PairNoiseProbability)
        {
            double sigma = rng.NextDouble() * Options.MaxPairNoise;
            ulong noiseSeed = rng.NextULong();
            foreach (var image in images) AddNoise(image, sigma, new Rng(noiseSeed)); // one pattern for all: noise is not a cue
        }
        if (Options.JpegProbability > 0 && rng.NextDouble() < Options.JpegProbability)
        {
            int quality = Options.MinJpegQuality + rng.Next(Options.MaxJpegQuality - Options.MinJpegQuality + 1);
            for (int i = 0; i < images.Length; i++) images[i] = JpegRoundTrip.Apply(images[i], quality);
        }
        if (Options.FlipProbability > 0 && rng.NextDouble() < Options.FlipProbability)
        {
            for (int i = 0; i < images.Length; i++) images[i] = Flip(images[i]);
            if (weights is not null) weights = Flip(weights, images[0].Width);
        }
        return (images, weights);
    }

    /// <summary>The blend alone, before the pair's shared changes.</summary>
    public SelfBlendImage Blend(RgbImage face, ReadOnlySpan<float> landmarks, Rng rng)
    {
        if (face.Width != face.Height) throw new ArgumentException($"the face must be square, got {face.Width}x{face.Height}", nameof(face));
        if (landmarks.Length != 136) throw new ArgumentException($"expected 68 landmarks (136 values), got {landmarks.Length}", nameof(landmarks));
        int size = face.Width;
        // Drawn only when enabled, so that recipes without it keep their random sequence.
        bool decoderLike = Options.DecoderPasteProbability > 0 && rng.NextDouble() < Options.DecoderPasteProbability;
        var changed = decoderLike ? DecoderLikeCopy(face, rng) : ChangeCopy(face, rng);
        bool sourceChanged = decoderLike || rng.NextDouble() < 0.5;
        var source = sourceChanged ? changed : face.Clone();
        var target = sourceChanged ? face.Clone() : changed;
        source = ShiftAndScale(source, rng);

        var mask = BlendMask.Make(landmarks, size, rng, Options);
        if (decoderLike && rng.NextDouble() < Options.DecoderColorMatchProbability)
        {
            var matches = Options.DecoderColorMatches;
            DecoderLikePaste.Match(matches.Count == 1 ? matches[0] : matches[rng.Next(matches.Count)], source, target, mask);
        }
        float ratio = Options.Ratios[rng.Next(Options.Ratios.Count)];
        var fake = new RgbImage(size, size);
        byte[] s = source.Data, t = target.Data, f = fake.Data;
        for (int p = 0; p < mask.Length; p++)
        {
            float w = mask[p] *= ratio;
            for (int c = 3 * p; c < 3 * p + 3; c++) f[c] = (byte)(w * s[c] + (1 - w) * t[c] + 0.5f);
        }
        return new SelfBlendImage(source, target, mask, ratio, sourceChanged, fake, decoderLike);
    }

    private RgbImage ChangeCopy(RgbImage face, Rng rng)
    {
        var copy = face.Clone();
        if (!Options.ChangeCopy) return copy;
        ColorChange.Draw(Options.CopyColor, rng).Apply(copy);
        return rng.NextDouble() < Options.DownUpScaleProbability
            ? Sharpness.DownUpScale(copy, Uniform(rng, Options.MinDownscale, Options.MaxDownscale))
            : Sharpness.Sharpen(copy, Uniform(rng, Options.MinSharpen, Options.MaxSharpen));
    }

    /// <summary>The copy a decoder-like paste pastes: the copy's colour change, then drawn at a decoder's lower resolution.</summary>
    private RgbImage DecoderLikeCopy(RgbImage face, Rng rng)
    {
        var copy = face.Clone();
        if (Options.ChangeCopy) ColorChange.Draw(Options.CopyColor, rng).Apply(copy);
        var soft = Sharpness.DownUpScale(copy, Uniform(rng, Options.MinDecoderDownscale, Options.MaxDecoderDownscale));
        // Drawn only when enabled, so that recipes without it keep their random sequence.
        if (Options.DecoderContrastProbability > 0 && rng.NextDouble() < Options.DecoderContrastProbability) DecoderLikePaste.RestoreContrast(soft, copy);
        return soft;
    }

    /// <summary>The source moved by up to <see cref="SelfBlendOptions.Shift"/> (half of it vertically) and scaled about the centre.</summary>
    private RgbImage ShiftAndScale(RgbImage source, Rng rng)
    {
        if (Options.Shift <= 0 && Options.Scale <= 0) return source;
        int size = source.Width;
        double dx = Uniform(rng, -Options.Shift, Options.Shift) * size, dy = Uniform(rng, -Options.Shift, Options.Shift) * size / 2;
        double scale = Uniform(rng, 1 - Options.Scale, 1 + Options.Scale), c = (size - 1) / 2.0;
        // Output pixel -> source pixel: about the centre, divided by the scale, minus the shift.
        var toSource = new AffineMatrix(1 / scale, 0, c - (c + dx) / scale, 0, 1 / scale, c - (c + dy) / scale);
        return AffineWarp.WarpFromOutput(source, toSource, size, size, BorderMode.Replicate);
    }

    private static void AddNoise(RgbImage image, double sigma, Rng rng)
    {
        byte[] d = image.Data;
        float scale = (float)(sigma * 255);
        for (int i = 0; i < d.Length; i++) d[i] = (byte)Math.Clamp(d[i] + scale * (float)rng.Normal() + 0.5f, 0f, 255f);
    }

    private static RgbImage Flip(RgbImage image)
    {
        var result = new RgbImage(image.Width, image.Height);
        for (int y = 0; y < image.Height; y++)
        {
            var from = image.Row(y);
            var to = result.Row(y);
            for (int x = 0; x < image.Width; x++) from.Slice(3 * (image.Width - 1 - x), 3).CopyTo(to.Slice(3 * x, 3));
        }
        return result;
    }

    private static float[] Flip(float[] plane, int width)
    {
        var result = new float[plane.Length];
        for (int y = 0; y < plane.Length / width; y++)
            for (int x = 0; x < width; x++) result[y * width + x] = plane[y * width + width - 1 - x];
        return result;
    }

    private static double Uniform(Rng rng, double low, double high) => low + rng.NextDouble() * (high - low);
}
