using Doppel.Tensors.Tests.Support;

namespace Doppel.Tensors.Tests;

/// <summary>Bad shapes and arguments fail with messages that name the op and the shapes involved.</summary>
public sealed class ErrorTests
{
    private static void AssertMismatch(Action action, string op, params string[] shapes)
    {
        var e = Assert.Throws<ShapeMismatchException>(action);
        Assert.Equal(op, e.Op);
        Assert.StartsWith(op, e.Message);
        foreach (var s in shapes) Assert.Contains(s, e.Message);
    }

    [Fact]
    public void MatMul_and_linear()
    {
        AssertMismatch(() => Ops.MatMul(Tensor.Zeros(2, 3), Tensor.Zeros(4, 5)), "matmul", "[2, 3]", "[4, 5]");
        AssertMismatch(() => Ops.MatMul(Tensor.Zeros(2, 3, 1), Tensor.Zeros(3, 5)), "matmul", "[2, 3, 1]", "[3, 5]");
        AssertMismatch(() => Ops.Linear(Tensor.Zeros(2, 3), Tensor.Zeros(4, 5), null), "linear", "[2, 3]", "[4, 5]");
        AssertMismatch(() => Ops.Linear(Tensor.Zeros(2, 5), Tensor.Zeros(4, 5), Tensor.Zeros(3)), "linear (bias)", "[4, 5]", "[3]");
    }

    [Fact]
    public void Conv2d()
    {
        AssertMismatch(() => Ops.Conv2d(Tensor.Zeros(1, 5, 5, 3), Tensor.Zeros(2, 3, 3, 4), null), "conv2d", "[1, 5, 5, 3]", "[2, 3, 3, 4]");
        AssertMismatch(() => Ops.Conv2d(Tensor.Zeros(1, 2, 2, 3), Tensor.Zeros(2, 5, 5, 3), null), "conv2d", "[1, 2, 2, 3]", "[2, 5, 5, 3]");
        AssertMismatch(() => Ops.Conv2d(Tensor.Zeros(1, 5, 5, 3), Tensor.Zeros(2, 3, 3, 3), Tensor.Zeros(3)), "conv2d (bias)", "[3]");
        var e = Assert.Throws<ArgumentException>(() => Ops.Conv2d(Tensor.Zeros(1, 5, 5, 3), Tensor.Zeros(2, 3, 3, 3), null, stride: 0));
        Assert.Contains("conv2d", e.Message);
    }

    [Fact]
    public void Shape_ops()
    {
        AssertMismatch(() => Ops.Reshape(Tensor.Zeros(2, 3), 4, 2), "reshape", "[2, 3]", "[4, 2]");
        AssertMismatch(() => Ops.Reshape(Tensor.Zeros(2, 3), -1, 4), "reshape", "[2, 3]", "[-1, 4]");
        AssertMismatch(() => Ops.Reshape(Tensor.Zeros(2, 3), -1, -1), "reshape");
        AssertMismatch(() => Ops.Concat([Tensor.Zeros(2, 3), Tensor.Zeros(3, 3)], 1), "concat", "[2, 3]", "[3, 3]");
        AssertMismatch(() => Ops.Concat([Tensor.Zeros(2, 3), Tensor.Zeros(2, 3, 1)], 0), "concat");
        Assert.Contains("outside axis 1", Assert.Throws<ArgumentException>(() => Ops.Slice(Tensor.Zeros(2, 3), 1, 2, 2)).Message);
        Assert.Contains("axis 5", Assert.Throws<ArgumentException>(() => Ops.Slice(Tensor.Zeros(2, 3), 5, 0, 1)).Message);
        Assert.Contains("axis 2", Assert.Throws<ArgumentException>(() => Ops.Sum(Tensor.Zeros(2, 3), [2])).Message);
        Assert.Contains("axis 5", Assert.Throws<ArgumentException>(() => Ops.Mean(Tensor.Zeros(2, 3), [5])).Message);
    }

    [Fact]
    public void Image_ops_and_losses()
    {
        AssertMismatch(() => Ops.PixelShuffle(Tensor.Zeros(1, 2, 2, 6), 2), "pixel_shuffle", "[1, 2, 2, 6]");
        AssertMismatch(() => Ops.AvgPool2d(Tensor.Zeros(1, 2, 2, 1), 3), "avg_pool2d", "[1, 2, 2, 1]");
        AssertMismatch(() => Ops.GaussianBlur(Tensor.Zeros(1, 8, 8, 1), 11), "gaussian_blur", "[1, 8, 8, 1]");
        AssertMismatch(() => Ops.L1Loss(Tensor.Zeros(2, 3), Tensor.Zeros(3, 2)), "l1_loss", "[2, 3]", "[3, 2]");
        AssertMismatch(() => Ops.MseLoss(Tensor.Zeros(2, 3), Tensor.Zeros(2)), "mse_loss", "[2, 3]", "[2]");
        AssertMismatch(() => Ops.DssimLoss(Tensor.Zeros(1, 12, 12, 3), Tensor.Zeros(1, 12, 12, 1)), "dssim_loss", "[1, 12, 12, 3]", "[1, 12, 12, 1]");
        AssertMismatch(() => Ops.BceWithLogits(Tensor.Zeros(4), Tensor.Zeros(5)), "bce_with_logits", "[4]", "[5]");
    }

    [Fact]
    public void Tensor_construction_and_access()
    {
        Assert.Contains("[2, 2]", Assert.Throws<ArgumentException>(() => Tensor.FromArray([1f, 2f, 3f], 2, 2)).Message);
        Assert.Contains("[2]", Assert.Throws<InvalidOperationException>(() => Tensor.Ones(2).Item()).Message);
        Assert.Contains("negative", Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, -1)).Message);
        Assert.Throws<IndexOutOfRangeException>(() => Tensor.Zeros(2, 3).At(1, 3));
        Assert.Equal(5f, T.Leaf([1f, 2f, 3f, 4f, 5f, 6f], 2, 3).At(1, 1));
    }
}
