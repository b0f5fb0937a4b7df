using Doppel.Tensors.Nn;
using Doppel.Tensors.Optim;

namespace Doppel.Tensors.Tests.Docs;

// The examples of docs/engine.md, compiled and run: EngineExampleTests checks that every code
// block of the document appears here verbatim, so the document cannot drift from the API.

// docs/engine.md: example 1
/// <summary>Radford et al.'s DCGAN discriminator for 64 px RGB images: one logit per image.</summary>
public sealed class DcganDiscriminator : Module<Tensor, Tensor>
{
    private readonly Sequential _net;

    public DcganDiscriminator(int f, Rng rng)
    {
        var init = WeightInit.Normal(0.02f);
        Conv2d Down(int cin, int cout, bool bias) => new(cin, cout, 4, 2, 1, rng, bias, init);
        _net = AddModule("net", new Sequential(
            Down(3, f, bias: true), new LeakyReLU(0.2f),                                // (N, 32, 32, f), no norm on the first layer
            Down(f, 2 * f, false), new BatchNorm2d(2 * f), new LeakyReLU(0.2f),         // (N, 16, 16, 2f)
            Down(2 * f, 4 * f, false), new BatchNorm2d(4 * f), new LeakyReLU(0.2f),     // (N, 8, 8, 4f)
            Down(4 * f, 8 * f, false), new BatchNorm2d(8 * f), new LeakyReLU(0.2f),     // (N, 4, 4, 8f)
            new Conv2d(8 * f, 1, 4, 1, 0, rng, bias: true, init: init),                 // (N, 1, 1, 1)
            new Flatten()));                                                             // (N, 1) logits
    }

    public override Tensor Forward(Tensor input) => _net.Forward(input);
}
// end of example 1

// docs/engine.md: example 2
/// <summary>A small image classifier: two conv blocks, a hidden layer with dropout, class logits.</summary>
public sealed class SmallClassifier : Module<Tensor, Tensor>
{
    private readonly Sequential _features, _head;

    public SmallClassifier(int size, int classes, Rng rng)
    {
        _features = AddModule("features", new Sequential(
            new Conv2d(3, 16, 3, 1, 1, rng, bias: false), new BatchNorm2d(16), new ReLU(), // (N, S, S, 16)
            new MaxPool2d(2),                                                                // (N, S/2, S/2, 16)
            new Conv2d(16, 32, 3, 1, 1, rng), new ReLU(),                                    // (N, S/2, S/2, 32)
            new MaxPool2d(2), new Flatten()));                                               // (N, S*S*2)
        _head = AddModule("head", new Sequential(
            new Linear(size * size * 2, 64, rng), new ReLU(), new Dropout(0.5f, rng),        // (N, 64)
            new Linear(64, classes, rng, init: WeightInit.GlorotUniform)));                  // (N, classes)
    }

    public override Tensor Forward(Tensor input) => _head.Forward(_features.Forward(input));
}
// end of example 2

// docs/engine.md: example 3
/// <summary>One training step of the classifier: forward, loss, backward, update, in one scope.</summary>
public static class ClassifierStep
{
    public static float Run(SmallClassifier model, Optimizer optimizer, Tensor images, int[] labels)
    {
        using var scope = TensorScope.Begin();                  // every tensor made here is freed at the end
        var logits = model.Forward(images);                     // (N, classes)
        var loss = Ops.SoftmaxCrossEntropy(logits, labels);     // scalar, mean over the batch
        loss.Backward();                                        // gradients into the parameters
        optimizer.StepAndZeroGrad();                            // one update, gradients cleared
        return loss.Item();
    }
}
// end of example 3
