using Doppel.Core;
using Doppel.Tensors;
using Doppel.Tensors.Nn;

namespace Doppel.Gan.Models;

/// <summary>
/// Goodfellow et al.'s MNIST networks (pylearn2 mnist.yaml of the paper's code). G: z -> ReLU
/// 1200 -> ReLU 1200 -> sigmoid 784, weights U(-0.05, 0.05) (pylearn2's irange .05), zero biases
/// but the output's, which starts at the logit of each pixel's mean over the training digits
/// (init_sigmoid_bias_from_marginals; <see cref="MlpGenerator.InitOutputBias"/>). D: maxout 240
/// units x 5 pieces -> maxout 240 x 5 -> one sigmoid unit (here its logit), weights
/// U(-0.005, 0.005), with dropout keeping 0.8 of the input and 0.5 of each hidden layer (inverted
/// dropout: pylearn2's input scales 1.25 and 2 are the same 1 / keep).
/// </summary>
public sealed class MlpArchitecture : IGanArchitecture
{
    public const int Hidden = 1200, MaxoutUnits = 240, MaxoutPieces = 5;

    public string Name => "mlp";

    public int CheckSize(int size) =>
        size == 0 || size == 28 ? 28 : throw new DoppelException($"the mlp architecture makes 28x28 MNIST digits, not {size} px", "leave --size out for mlp, or use --arch dcgan for 32 or 64 px faces");

    public GanNetworks Build(GanShape shape, Rng init, Rng dropout)
    {
        int pixels = shape.Size * shape.Size * shape.Channels;
        var g = new MlpGenerator(shape.ZDim, pixels, shape.Size, shape.Channels, init);
        var d = new MaxoutDiscriminator(pixels, init, dropout);
        return new GanNetworks(g, d, shape.ZDim, shape.Size, shape.Size, shape.Channels, PixelRange.Unit);
    }
}

/// <summary>The paper's MNIST generator: (N, z) -> (N, 28, 28, 1) in [0, 1].</summary>
public sealed class MlpGenerator : Module<Tensor, Tensor>
{
    private readonly Sequential _net;
    private readonly Linear _output;
    private readonly int _side, _channels;

    public MlpGenerator(int zDim, int pixels, int side, int channels, Rng rng)
    {
        var init = WeightInit.Uniform(0.05f);
        var hidden1 = new Linear(zDim, MlpArchitecture.Hidden, rng, init: init);
        var hidden2 = new Linear(MlpArchitecture.Hidden, MlpArchitecture.Hidden, rng, init: init);
        _output = new Linear(MlpArchitecture.Hidden, pixels, rng, init: init);
        _net = AddModule("net", new Sequential(
            hidden1, new ReLU(),  // (N, 1200)
            hidden2, new ReLU(),  // (N, 1200)
            _output));            // (N, 784) logits
        _side = side;
        _channels = channels;
    }

    /// <summary>
    /// Sets the output bias to logit(mean pixel) over the training images (means clipped to
    /// [1e-7, 1 - 1e-7]), so the first samples already have the digits' average brightness.
    /// </summary>
    public void InitOutputBias(ReadOnlySpan<float> pixelMeans)
    {
        var bias = _output.Bias!.Span;
        if (pixelMeans.Length != bias.Length) throw new ArgumentException($"{pixelMeans.Length} pixel means for {bias.Length} outputs");
        for (int i = 0; i < bias.Length; i++)
        {
            double p = Math.Clamp(pixelMeans[i], 1e-7, 1 - 1e-7);
            bias[i] = (float)Math.Log(p / (1 - p));
        }
    }

    public override Tensor Forward(Tensor z) =>
        Ops.Reshape(Ops.Sigmoid(_net.Forward(z)), z.Dim(0), _side, _side, _channels);  // (N, 28, 28, 1)
}

/// <summary>The paper's MNIST discriminator: (N, 28, 28, 1) -> (N, 1) logits.</summary>
public sealed class MaxoutDiscriminator : Module<Tensor, Tensor>
{
    private readonly Sequential _net;

    public MaxoutDiscriminator(int pixels, Rng rng, Rng dropout)
    {
        var init = WeightInit.Uniform(0.005f);
        int u = MlpArchitecture.MaxoutUnits, k = MlpArchitecture.MaxoutPieces;
        _net = AddModule("net", new Sequential(
            new Flatten(), new Dropout(0.2f, dropout),                              // (N, 784), keep 0.8
            new Maxout(pixels, u, k, rng, init: init), new Dropout(0.5f, dropout),  // (N, 240), keep 0.5
            new Maxout(u, u, k, rng, init: init), new Dropout(0.5f, dropout),       // (N, 240), keep 0.5
            new Linear(u, 1, rng, init: init)));                                    // (N, 1) logit
    }

    public override Tensor Forward(Tensor images) => _net.Forward(images);
}
