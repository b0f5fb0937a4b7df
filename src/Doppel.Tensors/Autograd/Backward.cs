namespace Doppel.Tensors.Autograd;

/// <summary>Reverse-mode differentiation over the graph recorded by the ops.</summary>
internal static class Backward
{
    public static void Run(Tensor root, Tensor? gradient)
    {
        if (!root.RequiresGrad)
            throw new InvalidOperationException("backward: this tensor does not require grad (no parameter contributed to it, or grad mode was off)");
        if (root.GraphReleased) throw Released();
        var order = TopologicalOrder(root); // before any gradient is written: it may throw
        if (gradient is null)
        {
            if (root.Size != 1) throw new InvalidOperationException($"backward: a gradient is needed for non-scalar output {ShapeUtil.Format(root.Shape)}");
            root.AccumulateGrad([1f]);
        }
        else
        {
            if (!ShapeUtil.SameShape(gradient.Shape, root.Shape)) throw new ShapeMismatchException("backward", root.Shape, gradient.Shape);
            root.AccumulateGrad(gradient.Span);
        }

        foreach (var tensor in order)
        {
            var node = tensor.Node!;
            if (tensor.Grad is { } grad) node.BackwardFn(grad);
            // Intermediate gradients are dead once propagated: free them now to bound memory.
            if (!ReferenceEquals(tensor, root)) tensor.ZeroGrad();
            tensor.Node = null; // the graph is consumed, as in PyTorch without retain_graph
            tensor.GraphReleased = true;
        }
    }

    // Without this, a second pass would treat the consumed tensors as leaves: gradients would
    // silently stop there instead of reaching the parameters.
    private static InvalidOperationException Released() =>
        new("backward: part of this graph was already consumed by an earlier backward pass; run the forward pass again, or sum the losses and call backward once");

    /// <summary>Non-leaf tensors reachable from root, each after every tensor that uses it.</summary>
    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor Tensor, int NextInput)>();
        if (root.Node is null) return order;
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var inputs = t.Node!.Inputs;
            if (next < inputs.Length)
            {
                stack.Push((t, next + 1));
                var input = inputs[next];
                if (input.GraphReleased) throw Released();
                if (input.Node is not null && input.RequiresGrad && visited.Add(input)) stack.Push((input, 0));
            }
            else order.Add(t);
        }
        order.Reverse();
        return order;
    }
}
