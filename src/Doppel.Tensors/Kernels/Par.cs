namespace Doppel.Tensors.Kernels;

/// <summary>
/// Splits a range across the cores, but only when there is enough work: on a 2-core machine a
/// task switch costs more than a small element-wise op.
/// </summary>
internal static class Par
{
    public static int Threads { get; set; } = Environment.ProcessorCount;

    /// <summary>Runs body(start, end) over [0, count) in at most <see cref="Threads"/> chunks of at least minChunk.</summary>
    public static void For(int count, int minChunk, Action<int, int> body)
    {
        int chunks = Math.Min(Threads, Math.Max(1, count / Math.Max(1, minChunk)));
        if (chunks <= 1)
        {
            body(0, count);
            return;
        }
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Threads }, i =>
        {
            long start = (long)count * i / chunks, end = (long)count * (i + 1) / chunks;
            body((int)start, (int)end);
        });
    }
}
