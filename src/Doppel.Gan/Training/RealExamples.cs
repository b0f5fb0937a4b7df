using Doppel.Gan.Data;
using Doppel.Gan.Models;
using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Gan.Training;

/// <summary>
/// Real minibatches in epochs: minibatch b (counted over the whole run) is slot b % perEpoch of a
/// permutation of the data seeded by the run's seed and the epoch b / perEpoch, so it depends on
/// b alone (the shared trainer's rule for exact resume) and every example is seen once per epoch.
/// The last incomplete minibatch of an epoch is dropped.
/// </summary>
public sealed class RealExamples
{
    private readonly IImageSet _data;
    private readonly GanNetworks _nets;
    private readonly int _batch;
    private readonly ulong _seed;
    private readonly object _gate = new();
    private (long Epoch, int[] Order)? _cached;

    public RealExamples(IImageSet data, GanNetworks nets, int batch, ulong seed)
    {
        if (data.Count < batch)
            throw new Doppel.Core.DoppelException($"{data.Name} has {data.Count} images, fewer than one minibatch of {batch}", "use a smaller --batch or more data");
        _data = data;
        _nets = nets;
        _batch = batch;
        _seed = seed;
        PerEpoch = data.Count / batch;
    }

    /// <summary>Minibatches per epoch.</summary>
    public int PerEpoch { get; }

    /// <summary>Minibatch <paramref name="number"/> as (m, H, W, C) in the networks' range; the caller disposes it.</summary>
    public Tensor Minibatch(long number)
    {
        int[] order = Order(number / PerEpoch);
        int slot = (int)(number % PerEpoch), n = _nets.PixelsPerImage;
        var t = Tensor.Empty(_batch, _nets.Height, _nets.Width, _nets.Channels).Persist();
        var span = t.Span;
        for (int i = 0; i < _batch; i++)
        {
            var image = span.Slice(i * n, n);
            _data.Write(order[slot * _batch + i], image);
            for (int p = 0; p < n; p++) image[p] = _nets.FromUnit(image[p]);
        }
        return t;
    }

    private int[] Order(long epoch)
    {
        lock (_gate)
        {
            if (_cached is { } c && c.Epoch == epoch) return c.Order;
            var rng = new Rng(_seed * 0x9E3779B97F4A7C15UL ^ (ulong)epoch * 0xC2B2AE3D27D4EB4FUL ^ 0xE90C);
            var order = Enumerable.Range(0, _data.Count).ToArray();
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = rng.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
            _cached = (epoch, order);
            return order;
        }
    }

    /// <summary>The mean of each pixel over all the data, in [0, 1] (the mlp generator's output bias starts from it).</summary>
    public static float[] PixelMeans(IImageSet data)
    {
        int n = data.Height * data.Width * data.Channels;
        var sum = new double[n];
        var image = new float[n];
        for (int i = 0; i < data.Count; i++)
        {
            data.Write(i, image);
            for (int p = 0; p < n; p++) sum[p] += image[p];
        }
        return sum.Select(s => (float)(s / Math.Max(1, data.Count))).ToArray();
    }
}
