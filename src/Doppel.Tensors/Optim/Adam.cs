using System.Runtime.Intrinsics;

namespace Doppel.Tensors.Optim;

/// <summary>
/// Adam (Kingma and Ba 2015) with PyTorch's update rule, so parity fixtures match:
/// m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
/// p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
/// One fused, vectorised pass per parameter; the state (m, v, step) is exposed for checkpoints.
/// </summary>
public sealed class Adam : Optimizer
{
    private readonly Tensor[] _m, _v;

    public Adam(IEnumerable<(string Name, Tensor Tensor)> parameters, float lr = 5e-5f, float beta1 = 0.5f, float beta2 = 0.999f, float eps = 1e-8f)
        : base(parameters, lr)
    {
        _m = Parameters.Select(p => Tensor.Zeros(p.Tensor.Shape).Persist()).ToArray();
        _v = Parameters.Select(p => Tensor.Zeros(p.Tensor.Shape).Persist()).ToArray();
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
    }

    public float Beta1 { get; }
    public float Beta2 { get; }
    public float Eps { get; }

    protected override void ApplyUpdate()
    {
        float bc1 = 1f - MathF.Pow(Beta1, Step), bc2 = 1f - MathF.Pow(Beta2, Step);
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i].Tensor;
            if (p.Grad is null) continue;
            Update(p.Data, p.Grad.Data, _m[i].Data, _v[i].Data, LearningRate / bc1, 1f / MathF.Sqrt(bc2));
        }
    }

    private void Update(float[] p, float[] g, float[] m, float[] v, float stepSize, float invSqrtBc2)
    {
        float b1 = Beta1, b2 = Beta2, eps = Eps;
        Kernels.Par.For(p.Length, 1 << 16, (s, e) =>
        {
            int i = s;
            if (Vector512.IsHardwareAccelerated)
            {
                var vb1 = Vector512.Create(b1); var vb1c = Vector512.Create(1f - b1);
                var vb2 = Vector512.Create(b2); var vb2c = Vector512.Create(1f - b2);
                var vStep = Vector512.Create(stepSize); var vInv = Vector512.Create(invSqrtBc2); var vEps = Vector512.Create(eps);
                for (; i + 16 <= e; i += 16)
                {
                    var gi = Vector512.LoadUnsafe(ref g[i]);
                    var mi = vb1 * Vector512.LoadUnsafe(ref m[i]) + vb1c * gi;
                    var vi = vb2 * Vector512.LoadUnsafe(ref v[i]) + vb2c * gi * gi;
                    mi.StoreUnsafe(ref m[i]);
                    vi.StoreUnsafe(ref v[i]);
                    var pi = Vector512.LoadUnsafe(ref p[i]) - vStep * mi / (Vector512.Sqrt(vi) * vInv + vEps);
                    pi.StoreUnsafe(ref p[i]);
                }
            }
            // Scalar twin for the tail (and machines without AVX-512).
            for (; i < e; i++)
            {
                m[i] = b1 * m[i] + (1f - b1) * g[i];
                v[i] = b2 * v[i] + (1f - b2) * g[i] * g[i];
                p[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) * invSqrtBc2 + eps);
            }
        });
    }

    /// <summary>The optimizer state as named tensors ("adam.m.&lt;param&gt;", "adam.v.&lt;param&gt;"), for checkpoints.</summary>
    public override IEnumerable<(string Name, Tensor Tensor)> State()
    {
        for (int i = 0; i < Parameters.Count; i++)
        {
            yield return ("adam.m." + Parameters[i].Name, _m[i]);
            yield return ("adam.v." + Parameters[i].Name, _v[i]);
        }
    }
}
