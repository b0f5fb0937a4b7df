using Doppel.Forensics.Model;
using Doppel.Tensors;
using Doppel.Tensors.IO;
using Doppel.Tensors.Nn;

namespace Doppel.Forensics.Tests.Model;

/// <summary>
/// The detector network against the same network in PyTorch 1.13 (bench/torch_detector.py
/// --fixture, tests/data/parity/detector.safetensors): training-mode outputs and the gradients
/// of L = sum(logits R1) + sum(mask R2) for the input and four weights (standard and depthwise
/// convs, the linear head, the mask head's bias), batch norm's running statistics after the
/// forward, then evaluation-mode outputs. |d| &lt;= rtol |ref| + atol max|ref|.
/// </summary>
public class DetectorParityTests
{
    private const double Rtol = 1e-4, Atol = 1e-5;

    [Fact]
    public void TheNetworkMatchesPyTorch()
    {
        var (t, _) = SafeTensors.Load(Path.Combine(AppContext.BaseDirectory, "data", "parity", "detector.safetensors"));
        var net = new FakeDetectorNet(new DetectorSpec { InputSize = 32, Width = 4 }, new Rng(0));
        net.LoadStateDict(t.Where(p => p.Key.StartsWith("w.")).ToDictionary(p => p.Key[2..], p => p.Value));
        var x = t["x"];
        x.RequiresGrad = true;
        net.Train();
        var output = net.Forward(x);
        Close("logits", t["logits"], output.Logits);
        Close("mask", t["mask"], output.MaskLogits);
        var loss = Ops.Add(Ops.Sum(Ops.Mul(output.Logits, t["r1"])), Ops.Sum(Ops.Mul(output.MaskLogits, t["r2"])));
        loss.Backward();
        Close("grad_x", t["grad_x"], x.Grad!);
        var parameters = net.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor);
        foreach (string name in new[] { "stem.0.weight", "stage1.0.main.0.weight", "score.weight", "mask.3.bias" })
            Close("grad_" + name, t["grad_" + name], parameters[name].Grad!);
        var buffers = net.NamedBuffers().ToDictionary(p => p.Name, p => p.Tensor);
        Close("running_mean", t["stem.1.running_mean"], buffers["stem.1.running_mean"]);
        Close("running_var", t["stem.1.running_var"], buffers["stem.1.running_var"]);
        net.Eval();
        var eval = net.Forward(t["x"]);
        Close("logits_eval", t["logits_eval"], eval.Logits);
        Close("mask_eval", t["mask_eval"], eval.MaskLogits);
    }

    private static void Close(string what, Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.Span;
        var a = actual.Span;
        double scale = 0;
        foreach (float v in e) scale = Math.Max(scale, Math.Abs(v));
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(a[i] - e[i]) <= Rtol * Math.Abs(e[i]) + Atol * scale, $"{what}[{i}]: {a[i]} vs PyTorch {e[i]} (max |ref| {scale})");
    }
}
