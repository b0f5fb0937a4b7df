using System.Text.Json.Nodes;
using Doppel.Core;
using Doppel.Datasets.Augmentation;
using Doppel.Datasets.FaceSets;
using Doppel.Tensors.Nn;

namespace Doppel.Gan.Data;

/// <summary>
/// Faces from one or more face sets of <c>doppel extract</c>, cut exactly as the swap trainer
/// cuts them (the central <see cref="Coverage"/> of each aligned crop resampled to the model's
/// size, through the same <see cref="TrainingFaces"/> and <see cref="FaceAugmenter"/> with no
/// augmentation), kept in memory as 8-bit RGB. Sets with crops of different sizes mix freely:
/// each is resampled to the same size.
/// </summary>
public sealed class FaceImages : IImageSet
{
    /// <summary>The swap trainer's default coverage, so a GAN face is framed like a swap model's input.</summary>
    public const double Coverage = 0.75;

    private readonly byte[] _pixels;
    private readonly JsonArray _sets;

    private FaceImages(byte[] pixels, int count, int size, JsonArray sets)
    {
        _pixels = pixels;
        Count = count;
        Height = Width = size;
        _sets = sets;
    }

    public string Name => $"{_sets.Count} face set{(_sets.Count == 1 ? "" : "s")} ({Count} faces)";
    public int Count { get; }
    public int Height { get; }
    public int Width { get; }
    public int Channels => 3;

    public static FaceImages Load(IReadOnlyList<string> folders, int size, Action<string>? log = null)
    {
        if (folders.Count == 0) throw new DoppelException("no face sets given", "pass --data DIR (a folder from doppel extract), one or more times");
        int pixels = size * size * 3;
        var all = new List<byte[]>();
        var sets = new JsonArray();
        foreach (string folder in folders)
        {
            var set = FaceSet.Open(folder);
            log?.Invoke($"reading {set.Count} faces from {set.Folder}");
            var faces = TrainingFaces.Load(set, size, Coverage);
            var plain = new FaceAugmenter(faces, AugmentOptions.None);
            var target = new float[pixels];
            var scratch = new float[pixels];
            var rng = new Rng(0); // AugmentOptions.None draws nothing that changes a face
            for (int i = 0; i < faces.Count; i++)
            {
                plain.Write(i, rng, scratch, target, Span<float>.Empty);
                var bytes = new byte[pixels];
                for (int p = 0; p < pixels; p++) bytes[p] = (byte)Math.Clamp(MathF.Round(target[p] * 255f), 0f, 255f);
                all.Add(bytes);
            }
            sets.Add(new JsonObject { ["path"] = set.Folder, ["count"] = set.Count, ["fingerprint"] = set.Fingerprint });
        }
        var data = new byte[all.Count * pixels];
        for (int i = 0; i < all.Count; i++) all[i].CopyTo(data, i * pixels);
        return new FaceImages(data, all.Count, size, sets);
    }

    public void Write(int index, Span<float> destination)
    {
        int n = Height * Width * 3;
        var source = _pixels.AsSpan(index * n, n);
        for (int i = 0; i < n; i++) destination[i] = source[i] * (1f / 255f);
    }

    public JsonObject Describe() => new() { ["source"] = "faces", ["size"] = Height, ["coverage"] = Coverage, ["sets"] = _sets.DeepClone() };
}
