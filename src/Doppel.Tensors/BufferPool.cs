using System.Collections.Concurrent;

namespace Doppel.Tensors;

/// <summary>
/// Recycles float arrays by exact length. A training step allocates the same shapes every
/// iteration; returning them here instead of to the GC keeps peak memory flat and avoids
/// large-object-heap churn (most activations are far above the 85 KB LOH threshold).
/// </summary>
public static class BufferPool
{
    private static readonly ConcurrentDictionary<int, ConcurrentBag<float[]>> Free = new();
    private static long _pooledFloats;

    /// <summary>Floats currently held by the pool (not in use), for leak and memory tests.</summary>
    public static long PooledFloats => Interlocked.Read(ref _pooledFloats);

    /// <summary>An array of exactly <paramref name="length"/> floats with undefined contents.</summary>
    public static float[] Rent(int length)
    {
        if (length == 0) return [];
        if (Free.TryGetValue(length, out var bag) && bag.TryTake(out var array))
        {
            Interlocked.Add(ref _pooledFloats, -length);
            return array;
        }
        return GC.AllocateUninitializedArray<float>(length);
    }

    /// <summary>An array of exactly <paramref name="length"/> zeros.</summary>
    public static float[] RentZeroed(int length)
    {
        var array = Rent(length);
        Array.Clear(array);
        return array;
    }

    public static void Return(float[] array)
    {
        if (array.Length == 0) return;
        Free.GetOrAdd(array.Length, _ => new ConcurrentBag<float[]>()).Add(array);
        Interlocked.Add(ref _pooledFloats, array.Length);
    }

    /// <summary>Drops every pooled array so the GC can reclaim it (e.g. between benchmark phases).</summary>
    public static void Trim()
    {
        Free.Clear();
        Interlocked.Exchange(ref _pooledFloats, 0);
    }
}
