namespace Doppel.Tensors.Nn;

/// <summary>
/// A small seeded generator (xoshiro256**, seeded through SplitMix64) so that a seed gives the
/// same initial weights and augmentations on every machine and .NET version, unlike
/// System.Random whose algorithm is an implementation detail.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareNormal;

    public Rng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextULong()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 bits.</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public float Uniform(float low, float high) => (float)(low + (high - low) * NextDouble());

    /// <summary>Uniform integer in [0, n).</summary>
    public int Next(int n) => (int)(NextDouble() * n);

    /// <summary>Standard normal by Box-Muller.</summary>
    public double Normal()
    {
        if (_spareNormal is { } spare) { _spareNormal = null; return spare; }
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareNormal = r * Math.Sin(2 * Math.PI * u2);
        return r * Math.Cos(2 * Math.PI * u2);
    }

    public void FillUniform(Span<float> values, float low, float high)
    {
        for (int i = 0; i < values.Length; i++) values[i] = Uniform(low, high);
    }

    public void FillNormal(Span<float> values, float mean = 0f, float std = 1f)
    {
        for (int i = 0; i < values.Length; i++) values[i] = (float)(mean + std * Normal());
    }

    /// <summary>The state, for resumable training (with <see cref="PendingNormal"/>, the whole of it).</summary>
    public ulong[] State => [_s0, _s1, _s2, _s3];

    /// <summary>
    /// The second normal of the last Box-Muller pair, which the next <see cref="Normal"/> returns
    /// without drawing; null when there is none. A checkpoint saves it so that a resumed run draws
    /// the same normals as an uninterrupted one.
    /// </summary>
    public double? PendingNormal => _spareNormal;

    public void Restore(ReadOnlySpan<ulong> state) => Restore(state, null);

    public void Restore(ReadOnlySpan<ulong> state, double? pendingNormal)
    {
        if (state.Length != 4) throw new ArgumentException("Rng state has four words");
        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
        _spareNormal = pendingNormal;
    }
}
