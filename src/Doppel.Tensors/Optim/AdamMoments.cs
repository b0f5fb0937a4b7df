namespace Doppel.Tensors.Optim;

/// <summary>
/// The first and second moment estimates (m, v) that Adam and AdamW keep per parameter, and the
/// pass that updates them and the parameters. Named "&lt;prefix&gt;.m.&lt;param&gt;" and "&lt;prefix&gt;.v.&lt;param&gt;".
/// </summary>
internal sealed class AdamMoments
{
    private readonly IReadOnlyList<(string Name, Tensor Tensor)> _parameters;
    private readonly Tensor[] _m, _v;
    private readonly string _prefix;

    public AdamMoments(IReadOnlyList<(string Name, Tensor Tensor)> parameters, string prefix)
    {
        _parameters = parameters;
        _prefix = prefix;
        _m = parameters.Select(p => Tensor.Zeros(p.Tensor.Shape).Persist()).ToArray();
        _v = parameters.Select(p => Tensor.Zeros(p.Tensor.Shape).Persist()).ToArray();
    }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Update(SimdWidth width, AdamStep step)
    {
        for (int i = 0; i < _parameters.Count; i++)
        {
            var p = _parameters[i].Tensor;
            if (p.Grad is null) continue;
            AdamKernel.Update(width, p.Data, p.Grad.Data, _m[i].Data, _v[i].Data, step);
        }
    }

    public IEnumerable<(string Name, Tensor Tensor)> State()
    {
        for (int i = 0; i < _parameters.Count; i++)
        {
            yield return (_prefix + ".m." + _parameters[i].Name, _m[i]);
            yield return (_prefix + ".v." + _parameters[i].Name, _v[i]);
        }
    }
}
