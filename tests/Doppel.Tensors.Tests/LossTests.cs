using Doppel.Tensors.Tests.Support;

namespace Doppel.Tensors.Tests;

/// <summary>L1, MSE, DSSIM and BCE-with-logits: values from their definitions and gradient checks.</summary>
public sealed class LossTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void L1Loss(bool weighted)
    {
        var p = T.Uniform(200, -1, 1, 2, 4, 3, 2);
        // target = p + a difference away from zero, so |p - t| is smooth over the step.
        var d = T.AwayFromZero(201, 0.1f, 1f, 2, 4, 3, 2);
        var t = T.Leaf(p.Data.Zip(d.Data, (a, b) => a + b).ToArray(), 2, 4, 3, 2);
        var wt = T.Uniform(202, 0.5f, 1.5f, 2, 4, 3, 1);
        if (weighted) GradCheck.Assert(x => Ops.L1Loss(x[0], x[1], x[2]), p, t, wt);
        else GradCheck.Assert(x => Ops.L1Loss(x[0], x[1]), p, t);

        double expected = 0;
        for (int i = 0; i < p.Size; i++) expected += Math.Abs(p.Data[i] - t.Data[i]) * (weighted ? wt.Data[i / 2] : 1);
        Assert.Equal(expected / p.Size, Ops.L1Loss(p, t, weighted ? wt : null).Item(), 5);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MseLoss(bool weighted)
    {
        var p = T.Uniform(210, -1, 1, 2, 4, 3, 2);
        var t = T.Uniform(211, -1, 1, 2, 4, 3, 2);
        var wt = T.Uniform(212, 0.5f, 1.5f, 2, 4, 3, 1);
        if (weighted) GradCheck.Assert(x => Ops.MseLoss(x[0], x[1], x[2]), p, t, wt);
        else GradCheck.Assert(x => Ops.MseLoss(x[0], x[1]), p, t);

        double expected = 0;
        for (int i = 0; i < p.Size; i++) expected += Math.Pow(p.Data[i] - t.Data[i], 2) * (weighted ? wt.Data[i / 2] : 1);
        Assert.Equal(expected / p.Size, Ops.MseLoss(p, t, weighted ? wt : null).Item(), 5);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void DssimLoss(int weightChannels)
    {
        // Two channels of 13x14 with an 11x11 window leave a 3x4 SSIM map per channel.
        const int n = 1, h = 13, w = 14, c = 2;
        var p = T.Uniform(220, 0.1f, 0.9f, n, h, w, c);
        // A target correlated with the prediction, so SSIM sits well inside (0, 1).
        var noise = T.Uniform(221, -0.2f, 0.2f, n, h, w, c);
        var t = T.Leaf(p.Data.Zip(noise.Data, (a, b) => a * 0.7f + 0.15f + b).ToArray(), n, h, w, c);
        var wt = weightChannels == 0 ? null : T.Uniform(222, 0.2f, 1f, n, h, w, weightChannels);

        var loss = Ops.DssimLoss(p, t, wt);
        double expected = Reference.Dssim(p.Data, t.Data, n, h, w, c, wt?.Data, weightChannels);
        Assert.InRange(expected, 0.02, 0.48);
        Assert.Equal(expected, loss.Item(), 5);

        var check = new GradCheck { Eps = 3e-3, ATol = 1e-4, MaxElementsPerInput = 60 };
        if (wt is null) check.Run(x => Ops.DssimLoss(x[0], x[1]), p, t).ThrowIfFailed();
        else check.Run(x => Ops.DssimLoss(x[0], x[1], x[2]), p, t, wt).ThrowIfFailed();
    }

    [Fact]
    public void Dssim_of_an_image_with_itself_is_zero()
    {
        var p = T.Uniform(223, 0, 1, 2, 12, 12, 3);
        Assert.Equal(0, Ops.DssimLoss(p, p).Item(), 5);
    }

    [Fact]
    public void BceWithLogits()
    {
        var x = T.Uniform(230, -4, 4, 3, 5);
        var z = T.Uniform(231, 0, 1, 3, 5); // soft targets, as with label smoothing
        GradCheck.Assert(v => Ops.BceWithLogits(v[0], v[1]), x, z);

        double expected = 0;
        for (int i = 0; i < x.Size; i++)
        {
            double s = 1 / (1 + Math.Exp(-x.Data[i]));
            expected -= z.Data[i] * Math.Log(s) + (1 - z.Data[i]) * Math.Log(1 - s);
        }
        Assert.Equal(expected / x.Size, Ops.BceWithLogits(x, z).Item(), 5);
    }

    [Fact]
    public void BceWithLogits_is_stable_for_large_logits()
    {
        var x = Tensor.FromArray([100f, -100f, 80f], 3);
        var z = Tensor.FromArray([1f, 0f, 0f], 3);
        float loss = Ops.BceWithLogits(x, z).Item();
        Assert.True(float.IsFinite(loss));
        Assert.Equal(80.0 / 3, loss, 4);
    }
}
