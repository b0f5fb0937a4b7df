using System.Globalization;
using Doppel.Core;
using Doppel.Tensors.IO;

namespace Doppel.Tensors.Optim;

/// <summary>
/// An optimiser's whole state in one safetensors file (written atomically): the tensors of
/// <see cref="Optimizer.State"/> under their names, and <see cref="Optimizer.ScalarState"/> in the
/// header metadata as "scalar.&lt;name&gt;" (doubles in round-trip "R" text, so exact) with
/// "optimizer" = the class name. Loading into a fresh optimiser built with the same parameters
/// and hyperparameters continues the run bit for bit. (The parameters themselves are the model's
/// checkpoint, not this one.)
/// </summary>
public static class OptimizerCheckpoint
{
    private const string ScalarPrefix = "scalar.";

    public static void Save(string path, Optimizer optimizer)
    {
        var metadata = new Dictionary<string, string> { ["optimizer"] = optimizer.GetType().Name };
        foreach (var (name, value) in optimizer.ScalarState()) metadata[ScalarPrefix + name] = value.ToString("R", CultureInfo.InvariantCulture);
        SafeTensors.Save(path, optimizer.State(), metadata);
    }

    /// <summary>
    /// Copies the file's state into <paramref name="optimizer"/>, which must be of the type that
    /// wrote it and have the same parameters. A tensor that is missing or mis-shaped is reported
    /// before anything is copied; after any other failure the optimiser's state is undefined.
    /// </summary>
    public static void Load(string path, Optimizer optimizer)
    {
        string type = optimizer.GetType().Name;
        var metadata = SafeTensors.LoadInto(path, optimizer.State());
        if (!metadata.TryGetValue("optimizer", out string? written) || written != type)
            throw new DoppelException($"{path} holds the state of {(written is null ? "no optimiser" : written)}, not of {type}", "resume with the optimiser the run was started with");
        var scalars = new Dictionary<string, double>();
        foreach (var (key, text) in metadata)
        {
            if (!key.StartsWith(ScalarPrefix, StringComparison.Ordinal)) continue;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                throw new DoppelException($"{path}: optimiser scalar {key} is '{text}', not a number", "the checkpoint is damaged; use the previous one");
            scalars[key[ScalarPrefix.Length..]] = value;
        }
        optimizer.LoadScalarState(scalars);
    }
}
