namespace Doppel.Tensors.Nn;

/// <summary>max(x, 0).</summary>
public sealed class ReLU : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor input) => Ops.Relu(input);
}

/// <summary>x for x &gt; 0, slope * x otherwise (0.1 in the swap models, 0.2 in DCGAN).</summary>
public sealed class LeakyReLU(float slope = 0.01f) : Module<Tensor, Tensor>
{
    public float Slope { get; } = slope;
    public override Tensor Forward(Tensor input) => Ops.LeakyRelu(input, Slope);
}

public sealed class Sigmoid : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor input) => Ops.Sigmoid(input);
}

public sealed class Tanh : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor input) => Ops.Tanh(input);
}

/// <summary>Softmax over the last axis (the classes).</summary>
public sealed class Softmax : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor input) => Ops.Softmax(input);
}

/// <summary>Log-softmax over the last axis: log-probabilities without the underflow of log(softmax).</summary>
public sealed class LogSoftmax : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor input) => Ops.LogSoftmax(input);
}

/// <summary>Clamps every element to [min, max] (e.g. an output kept inside the valid pixel range).</summary>
public sealed class Clamp(float min, float max) : Module<Tensor, Tensor>
{
    public float Min { get; } = min;
    public float Max { get; } = max;
    public override Tensor Forward(Tensor input) => Ops.Clamp(input, Min, Max);
}

/// <summary>(N, ...) to (N, rest): the batch axis stays.</summary>
public sealed class Flatten : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor input) => Ops.Flatten(input);
}

/// <summary>Any function of a tensor as a module, for a one-off step inside a <see cref="Sequential"/>.</summary>
public sealed class Lambda(Func<Tensor, Tensor> function) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor input) => function(input);
}
