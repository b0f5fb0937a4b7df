using System.Runtime.InteropServices;
using Doppel.Core;

namespace Doppel.Faces.Landmarks;

/// <summary>
/// A compact binary copy of a parsed shape predictor, so later runs skip parsing dlib's
/// 100 MB variable-length encoding and read flat little-endian arrays in a few bulk reads.
/// Layout: a fixed header (magic, cache format version, the source file's size and
/// modification time, the model's dimensions), then initial shape, anchors, deltas, split
/// nodes (int32 feature 1, int32 feature 2, float32 threshold) and leaf values, each a raw array.
/// The source's size and mtime in the header invalidate the cache when the .dat changes.
/// </summary>
internal static class ShapePredictorCache
{
    private const uint Magic = 0x50535044; // "DPSP" read as little-endian bytes
    private const int FormatVersion = 2; // 2: split nodes interleaved
    private const int HeaderInts = 12;
    private const int HeaderBytes = HeaderInts * 8;

    /// <summary>The identity of a source file as far as the cache cares: size and last write time.</summary>
    public readonly record struct SourceStamp(long Size, long LastWriteTicksUtc)
    {
        public static SourceStamp Of(string path)
        {
            var info = new FileInfo(path);
            return new SourceStamp(info.Length, info.LastWriteTimeUtc.Ticks);
        }
    }

    public static void Write(string cachePath, ShapePredictorModel model, SourceStamp source)
    {
        AtomicFile.Write(cachePath, stream =>
        {
            Span<long> header = stackalloc long[HeaderInts];
            header[0] = Magic;
            header[1] = FormatVersion;
            header[2] = source.Size;
            header[3] = source.LastWriteTicksUtc;
            header[4] = model.CascadeCount;
            header[5] = model.TreesPerCascade;
            header[6] = model.SplitsPerTree;
            header[7] = model.FeaturesPerCascade;
            header[8] = model.ShapeLength;
            header[9] = PayloadBytes(model.CascadeCount, model.TreesPerCascade, model.SplitsPerTree,
                model.FeaturesPerCascade, model.ShapeLength);
            stream.Write(MemoryMarshal.AsBytes(header));
            stream.Write(MemoryMarshal.AsBytes(model.InitialShape.AsSpan()));
            stream.Write(MemoryMarshal.AsBytes(model.AnchorIndices.AsSpan()));
            stream.Write(MemoryMarshal.AsBytes(model.AnchorDeltas.AsSpan()));
            stream.Write(MemoryMarshal.AsBytes(model.Splits.AsSpan()));
            stream.Write(MemoryMarshal.AsBytes(model.LeafValues.AsSpan()));
        });
    }

    /// <summary>
    /// The cached model, or null when there is none or it does not match <paramref name="source"/>
    /// (stale, truncated, another format version): the caller then rebuilds it from the .dat.
    /// </summary>
    public static ShapePredictorModel? TryRead(string cachePath, SourceStamp source)
    {
        if (!BitConverter.IsLittleEndian) return null; // the arrays are stored in the machine's byte order
        FileStream file;
        try { file = new FileStream(cachePath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }

        using (file)
        {
            Span<long> header = stackalloc long[HeaderInts];
            if (!TryFill(file, MemoryMarshal.AsBytes(header))) return null;
            if (header[0] != Magic || header[1] != FormatVersion) return null;
            if (header[2] != source.Size || header[3] != source.LastWriteTicksUtc) return null;
            int cascades = (int)header[4], trees = (int)header[5], splits = (int)header[6];
            int features = (int)header[7], shapeLength = (int)header[8];
            if (cascades <= 0 || trees <= 0 || splits <= 0 || features <= 0 || shapeLength <= 0) return null;
            long payload = PayloadBytes(cascades, trees, splits, features, shapeLength);
            if (header[9] != payload || file.Length != HeaderBytes + payload) return null;

            long treeCount = (long)cascades * trees;
            var initialShape = ReadArray<float>(file, shapeLength);
            var anchors = ReadArray<int>(file, cascades * features);
            var deltas = ReadArray<float>(file, cascades * features * 2);
            var splitNodes = ReadArray<SplitNode>(file, (int)(treeCount * splits));
            var leaves = ReadArray<float>(file, checked((int)(treeCount * (splits + 1) * shapeLength)));
            if (initialShape is null || anchors is null || deltas is null || splitNodes is null || leaves is null) return null;

            var model = new ShapePredictorModel(cascades, trees, splits, features,
                initialShape, anchors, deltas, splitNodes, leaves);
            model.Validate(cachePath);
            return model;
        }
    }

    private static long PayloadBytes(int cascades, int trees, int splits, int features, int shapeLength)
    {
        long treeCount = (long)cascades * trees;
        return 4L * (shapeLength + cascades * (long)features * 3 + treeCount * splits * 3
                     + treeCount * (splits + 1) * shapeLength);
    }

    private static T[]? ReadArray<T>(FileStream file, int length) where T : unmanaged
    {
        // Uninitialised: every element is overwritten by the read, and zeroing 65 MB costs time.
        T[] array = GC.AllocateUninitializedArray<T>(length);
        return TryFill(file, MemoryMarshal.AsBytes(array.AsSpan())) ? array : null;
    }

    private static bool TryFill(FileStream file, Span<byte> destination)
    {
        try
        {
            file.ReadExactly(destination);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }
}
