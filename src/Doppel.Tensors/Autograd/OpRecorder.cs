namespace Doppel.Tensors.Autograd;

/// <summary>Attaches a backward function to an op's output when any input needs a gradient.</summary>
internal static class OpRecorder
{
    public static bool NeedsGrad(Tensor a) => GradMode.Enabled && a.RequiresGrad;

    public static bool NeedsGrad(Tensor a, Tensor b) => GradMode.Enabled && (a.RequiresGrad || b.RequiresGrad);

    public static bool NeedsGrad(Tensor[] inputs)
    {
        if (!GradMode.Enabled) return false;
        foreach (var t in inputs) if (t.RequiresGrad) return true;
        return false;
    }

    public static Tensor Record(Tensor output, string op, Tensor[] inputs, Action<Tensor> backward)
    {
        if (OpProfiler.Enabled) OpProfiler.ChargeForward(op);
        if (NeedsGrad(inputs))
        {
            output.RequiresGrad = true;
            output.Node = new GradNode(op, inputs, OpProfiler.Enabled ? OpProfiler.TimeBackward(op, backward) : backward);
        }
        return output;
    }
}
