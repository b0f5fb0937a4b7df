namespace Doppel.Tensors.Nn;

/// <summary>
/// Batch normalisation of NHWC images per channel, as PyTorch's nn.BatchNorm2d: in training mode
/// each forward normalises by the batch's statistics (over N, H, W) and folds them into
/// running_mean and running_var (momentum 0.1 by default; null for a cumulative average over
/// num_batches_tracked batches); in eval mode the running statistics normalise. The state dict
/// holds weight and bias (parameters, ones and zeros) and running_mean, running_var and
/// num_batches_tracked (buffers), under PyTorch's names.
/// </summary>
public sealed class BatchNorm2d : Module<Tensor, Tensor>
{
    public BatchNorm2d(int numFeatures, float eps = 1e-5f, float? momentum = 0.1f, bool affine = true, bool trackRunningStats = true)
    {
        if (numFeatures < 1) throw new ArgumentException($"batch_norm2d: numFeatures must be >= 1, not {numFeatures}");
        if (momentum is { } m && !(m >= 0f && m <= 1f)) throw new ArgumentException($"batch_norm2d: momentum must be in [0, 1] (or null), not {m}");
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        if (affine)
        {
            Weight = AddParameter("weight", Tensor.Ones(numFeatures));
            Bias = AddParameter("bias", Tensor.Zeros(numFeatures));
        }
        if (trackRunningStats)
        {
            RunningMean = AddBuffer("running_mean", Tensor.Zeros(numFeatures));
            RunningVar = AddBuffer("running_var", Tensor.Ones(numFeatures));
            NumBatchesTracked = AddBuffer("num_batches_tracked", Tensor.Zeros());
        }
    }

    public int NumFeatures { get; }
    public float Eps { get; }

    /// <summary>The running statistics' update factor; null for a cumulative (equal-weight) average.</summary>
    public float? Momentum { get; }

    public Tensor? Weight { get; }
    public Tensor? Bias { get; }
    public Tensor? RunningMean { get; }
    public Tensor? RunningVar { get; }

    /// <summary>Training-mode forward passes so far (a float scalar; PyTorch stores an int64).</summary>
    public Tensor? NumBatchesTracked { get; }

    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != 4) throw new ShapeMismatchException("batch_norm2d", input.Shape, [NumFeatures], "input must be NHWC");
        if (input.Shape[3] != NumFeatures) throw new ShapeMismatchException("batch_norm2d", input.Shape, [NumFeatures], "the last axis holds the channels");
        if (RunningMean is null) return Ops.BatchNorm(input, null, null, Weight, Bias, training: true, 0f, Eps);
        if (!Training) return Ops.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, training: false, 0f, Eps);
        float batches = NumBatchesTracked!.Data[0] + 1f;
        var y = Ops.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, training: true, Momentum ?? 1f / batches, Eps);
        NumBatchesTracked.Data[0] = batches; // only once the batch was accepted
        return y;
    }
}
