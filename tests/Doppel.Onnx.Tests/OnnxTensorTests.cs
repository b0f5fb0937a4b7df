using Doppel.Core;

namespace Doppel.Onnx.Tests;

public class OnnxTensorTests
{
    [Fact]
    public void Shape_MustHoldExactlyTheData()
    {
        var e = Assert.Throws<DoppelException>(() => new OnnxTensor(new float[5], 2, 3));
        Assert.Contains("[2, 3] holds 6 values, but 5 were given", e.Message);
    }

    [Fact]
    public void Shape_MustNotBeNegative() =>
        Assert.Throws<DoppelException>(() => new OnnxTensor(new float[0], -1, 0));

    [Fact]
    public void Shape_IsCopied()
    {
        long[] shape = [2, 3];
        var tensor = new OnnxTensor(new float[6], shape);
        shape[0] = 99;
        Assert.Equal([2L, 3], tensor.Shape);
    }

    [Fact]
    public void Scalars_AndEmptyTensors_AreAllowed()
    {
        Assert.Empty(new OnnxTensor([1f]).Shape);
        Assert.Empty(new OnnxTensor([], 0, 4).Data);
    }
}
