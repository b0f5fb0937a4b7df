using Doppel.Tensors.Nn;

namespace Doppel.Tensors.Tests.Parity;

/// <summary>
/// Closed-form model weights that bench/torch_parity.py computes the same way, so the whole
/// Original model can be compared with PyTorch without storing its 82 M weights. For the p-th
/// parameter in <see cref="Module.NamedParameters"/> order (p = 0, 1, ...), in Doppel layout
/// (conv (O, KH, KW, C), linear (Out, In)), at flat index i:
/// <code>
///   s = sin(0.37 * i + 1.3 * p)              (double)
///   u = frac(s * 43758.5453)                 (u - floor(u), in [0, 1))
///   weight = limit * (2u - 1), limit = sqrt(6 / fanIn)   (fanIn = KH*KW*C, or In)
///   bias   = 0.01  * (2u - 1)
/// </code>
/// computed in double and rounded to float. The frac-of-a-scaled-sine hash makes the values look
/// uniformly random (He-uniform-like); a plain sinusoid in i would make every conv output channel
/// the same sinusoid with another phase (rank-2 layers), which would hide channel-order bugs.
/// Both sides do the same IEEE double operations; only sin itself may differ by an ulp between
/// glibc and NumPy, which moves u by ~1e-11 and virtually never changes the float result.
/// </summary>
internal static class PatternWeights
{
    public static void Fill(IEnumerable<(string Name, Tensor Tensor)> parameters)
    {
        int p = 0;
        foreach (var (_, t) in parameters) Fill(t, p++);
    }

    public static void Fill(Tensor t, int p)
    {
        double scale = t.Rank switch
        {
            1 => 0.01,                                                   // bias
            2 => Math.Sqrt(6.0 / t.Shape[1]),                            // linear (Out, In)
            4 => Math.Sqrt(6.0 / ((double)t.Shape[1] * t.Shape[2] * t.Shape[3])), // conv (O, KH, KW, C)
            _ => throw new ArgumentException($"no pattern for a rank-{t.Rank} parameter"),
        };
        var data = t.Data;
        double phase = 1.3 * p;
        System.Threading.Tasks.Parallel.For(0, (data.Length + 65535) / 65536, chunk =>
        {
            int end = Math.Min(data.Length, (chunk + 1) * 65536);
            for (int i = chunk * 65536; i < end; i++)
            {
                double u = Math.Sin(0.37 * i + phase) * 43758.5453;
                u -= Math.Floor(u);
                data[i] = (float)(scale * (2.0 * u - 1.0));
            }
        });
    }
}
