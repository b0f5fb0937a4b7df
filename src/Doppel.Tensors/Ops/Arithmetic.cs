using System.Numerics.Tensors;
using Doppel.Tensors.Autograd;
using Doppel.Tensors.Kernels;

namespace Doppel.Tensors;

/// <summary>Element-wise arithmetic with NumPy broadcasting, differentiable in both operands.</summary>
public static partial class Ops
{
    public static Tensor Add(Tensor a, Tensor b) => BinaryOp_(BinaryOp.Add, "add", a, b);
    public static Tensor Sub(Tensor a, Tensor b) => BinaryOp_(BinaryOp.Sub, "sub", a, b);
    public static Tensor Mul(Tensor a, Tensor b) => BinaryOp_(BinaryOp.Mul, "mul", a, b);
    public static Tensor Div(Tensor a, Tensor b) => BinaryOp_(BinaryOp.Div, "div", a, b);

    private static Tensor BinaryOp_(BinaryOp op, string name, Tensor a, Tensor b)
    {
        var shape = ShapeUtil.Broadcast(name, a.Shape, b.Shape);
        var y = Tensor.Empty(shape);
        Broadcasting.Binary(op, a.Data, a.Shape, b.Data, b.Shape, y.Data, shape);
        return OpRecorder.Record(y, name, [a, b], g =>
        {
            if (a.RequiresGrad) BinaryGrad(op, g, a, b, y, wrtA: true);
            if (b.RequiresGrad) BinaryGrad(op, g, a, b, y, wrtA: false);
        });
    }

    private static void BinaryGrad(BinaryOp op, Tensor g, Tensor a, Tensor b, Tensor y, bool wrtA)
    {
        var target = wrtA ? a : b;
        float[] local;
        bool rented = false;
        switch (op)
        {
            case BinaryOp.Add:
                local = g.Data;
                break;
            case BinaryOp.Sub:
                if (wrtA) local = g.Data;
                else { local = BufferPool.Rent(g.Size); rented = true; TensorPrimitives.Negate(g.Span, local); }
                break;
            case BinaryOp.Mul:
                local = BufferPool.Rent(g.Size); rented = true;
                // d(a*b)/da = b, broadcast to the output shape
                Broadcasting.Binary(BinaryOp.Mul, g.Data, g.Shape, (wrtA ? b : a).Data, (wrtA ? b : a).Shape, local, g.Shape);
                break;
            default:
                local = BufferPool.Rent(g.Size); rented = true;
                // d(a/b)/da = 1/b; d(a/b)/db = -y/b
                if (wrtA) Broadcasting.Binary(BinaryOp.Div, g.Data, g.Shape, b.Data, b.Shape, local, g.Shape);
                else
                {
                    TensorPrimitives.Multiply(g.Span, y.Span, local);
                    TensorPrimitives.Negate(local, local);
                    Broadcasting.Binary(BinaryOp.Div, local, g.Shape, b.Data, b.Shape, local, g.Shape);
                }
                break;
        }
        var buffer = target.GradBuffer(out bool accumulate);
        Broadcasting.SumToShape(local, g.Shape, buffer, target.Shape, accumulate);
        if (rented) BufferPool.Return(local);
    }

    public static Tensor Add(Tensor a, float s) => Affine(a, 1f, s, "add_scalar");
    public static Tensor Sub(Tensor a, float s) => Affine(a, 1f, -s, "sub_scalar");
    public static Tensor Mul(Tensor a, float s) => Affine(a, s, 0f, "mul_scalar");
    public static Tensor Neg(Tensor a) => Affine(a, -1f, 0f, "neg");

    /// <summary>scale * a + shift, one pass.</summary>
    public static Tensor Affine(Tensor a, float scale, float shift, string name = "affine")
    {
        var y = Tensor.Empty((int[])a.Shape.Clone());
        TensorPrimitives.Multiply(a.Span, scale, y.Span);
        if (shift != 0f) TensorPrimitives.Add(y.Span, shift, y.Span);
        return OpRecorder.Record(y, name, [a], g =>
        {
            var buffer = a.GradBuffer(out bool accumulate);
            if (accumulate) TensorPrimitives.MultiplyAdd(g.Span, scale, buffer, buffer);
            else TensorPrimitives.Multiply(g.Span, scale, buffer);
        });
    }

    /// <summary>(1 - s) - a ... i.e. s - a, handy for 1 - x.</summary>
    public static Tensor RSub(float s, Tensor a) => Affine(a, -1f, s, "rsub_scalar");
}
