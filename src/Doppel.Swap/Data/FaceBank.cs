using Doppel.Media.Imaging;
using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Swap.Data;

/// <summary>
/// One person's training faces held in memory as floats in [0, 1], (N, S, S, 3), with batch
/// sampling. Faces are small (64 px: 48 KB each), so thousands fit easily.
/// </summary>
public sealed class FaceBank
{
    private readonly float[] _pixels;

    public FaceBank(IReadOnlyList<RgbImage> faces, int size)
    {
        if (faces.Count == 0) throw new Doppel.Core.DoppelException("no faces to train on", "check the input video or face set");
        Size = size;
        Count = faces.Count;
        _pixels = new float[Count * FaceFloats];
        for (int i = 0; i < Count; i++)
        {
            if (faces[i].Width != size || faces[i].Height != size)
                throw new ArgumentException($"face {i} is {faces[i].Width}x{faces[i].Height}, expected {size}x{size}");
            FloatPixels.ToInterleaved(faces[i], _pixels.AsSpan(i * FaceFloats, FaceFloats), 1f / 255f, 0f);
        }
    }

    public int Size { get; }
    public int Count { get; }
    private int FaceFloats => Size * Size * 3;

    /// <summary>Copies face <paramref name="index"/> into row <paramref name="row"/> of a batch, mirrored when asked.</summary>
    public void CopyFace(int index, Tensor batch, int row, bool mirror = false)
    {
        var src = _pixels.AsSpan(index * FaceFloats, FaceFloats);
        var dst = batch.Span.Slice(row * FaceFloats, FaceFloats);
        if (!mirror) { src.CopyTo(dst); return; }
        int rowFloats = Size * 3;
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
                src.Slice(y * rowFloats + x * 3, 3).CopyTo(dst.Slice(y * rowFloats + (Size - 1 - x) * 3, 3));
    }

    /// <summary>A random batch (N, S, S, 3); each face mirrored with probability 1/2.</summary>
    public Tensor Sample(int batch, Rng rng)
    {
        var t = Tensor.Empty(batch, Size, Size, 3);
        for (int i = 0; i < batch; i++) CopyFace(rng.Next(Count), t, i, mirror: rng.NextDouble() < 0.5);
        return t;
    }

    /// <summary>Fixed faces (evenly spread through the set) for previews.</summary>
    public Tensor Fixed(int count)
    {
        var t = Tensor.Empty(count, Size, Size, 3);
        for (int i = 0; i < count; i++) CopyFace((int)((long)i * Count / count), t, i);
        return t;
    }
}
