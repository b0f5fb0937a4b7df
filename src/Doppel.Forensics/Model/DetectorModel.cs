using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Core;
using Doppel.Tensors;
using Doppel.Tensors.IO;
using Doppel.Tensors.Nn;

namespace Doppel.Forensics.Model;

/// <summary>
/// A trained fake detector as one file: the network's weights and buffers in safetensors, and in
/// its metadata (key <see cref="MetadataKey"/>) a JSON document with the format, name, version
/// (the first 12 hex digits of the SHA-256 of the weights), the network's shape, the calibrated
/// threshold with the false-positive rate measured for it on held-out real faces, and how it was
/// trained and evaluated. <see cref="Save"/> writes the same JSON beside the weights
/// (<c>NAME.json</c>) for people to read; loading reads only the safetensors file, so a model is
/// one file to pass around. An ensemble (<c>doppel detect ensemble</c>) is one such file holding
/// several networks of one shape, each's tensors under <c>members.I.</c> and each's own metadata in
/// the <c>members</c> array; its score is the mean logit of its members.
/// </summary>
public sealed class DetectorModel
{
    public const string Format = "doppel-fake-detector/1";
    public const string MetadataKey = "doppel.detector";
    public const string DefaultFileName = "doppel-sbi-64.safetensors";

    private DetectorModel(string path, IReadOnlyList<FakeDetectorNet> nets, JsonObject info)
    {
        Path = path;
        Nets = nets;
        Info = info;
    }

    public string Path { get; }

    /// <summary>The networks whose mean logit is the score: one for a trained model, several for an ensemble.</summary>
    public IReadOnlyList<FakeDetectorNet> Nets { get; }

    public DetectorSpec Spec => Nets[0].Spec;
    public long ParameterCount => Nets.Sum(n => n.ParameterCount);

    /// <summary>The whole metadata document (format, name, version, spec, threshold, figures, training).</summary>
    public JsonObject Info { get; }

    public string Name => Info["name"]?.GetValue<string>() ?? "unnamed";
    public string Version => Info["version"]?.GetValue<string>() ?? "unknown";
    public float Threshold => Info["threshold"]?.GetValue<float>() ?? 0.5f;

    /// <summary>The share of held-out real faces that scored at or above <see cref="Threshold"/>; null when the model was not calibrated.</summary>
    public double? ThresholdFpr => Info["thresholdFpr"]?.GetValue<double>();

    /// <summary>Which real faces <see cref="ThresholdFpr"/> was measured on, in words for verdicts: people the model never trained on (<c>detect train --calibrate</c>), or held-out faces of the training people.</summary>
    public string ThresholdFprMeasuredOn =>
        Info["calibration"]?.GetValue<string>() is { } text && text.StartsWith(NewPeopleCalibration, StringComparison.Ordinal)
            ? "real faces of people it never trained on"
            : "held-out real faces";

    /// <summary>How the calibration text of a model calibrated with <c>--calibrate</c> begins.</summary>
    public const string NewPeopleCalibration = "real faces of people the model never trained on";

    /// <summary>Where the shipped model is: beside the assembly (the build copies models/detector/ there).</summary>
    public static string DefaultPath => System.IO.Path.Combine(AppContext.BaseDirectory, "models", "detector", DefaultFileName);

    public static DetectorModel LoadDefault()
    {
        if (!File.Exists(DefaultPath))
            throw new DoppelException($"the default detector model is missing: {DefaultPath} (the build copies it from models/detector/)",
                "rebuild with ./doppel setup, or pass --model with a model from doppel detect train (docs/forensics.md)");
        return Load(DefaultPath);
    }

    /// <summary>Loads a model file, or the <c>model.safetensors</c> in a training run's folder.</summary>
    public static DetectorModel Load(string path)
    {
        string file = Directory.Exists(path) ? System.IO.Path.Combine(path, "model.safetensors") : path;
        if (!File.Exists(file))
            throw new DoppelException($"detector model not found: {path}", "pass a .safetensors file written by doppel detect train, or its run folder");
        Dictionary<string, Tensor> tensors;
        Dictionary<string, string> metadata;
        try
        {
            (tensors, metadata) = SafeTensors.Load(file);
        }
        catch (DoppelException e)
        {
            throw new DoppelException($"{path} is not a detector model: {e.Message}", "pass a .safetensors file written by doppel detect train");
        }
        try
        {
            if (!metadata.TryGetValue(MetadataKey, out string? text) || JsonNode.Parse(text) is not JsonObject info)
                throw new DoppelException($"{path} is a safetensors file but not a Doppel fake detector (no '{MetadataKey}' metadata)",
                    "pass a model written by doppel detect train; swap models and other networks are not detectors");
            string format = info["format"]?.GetValue<string>() ?? "";
            if (format != Format)
                throw new DoppelException($"{path} is a detector of format '{format}', this version reads '{Format}'", "use the Doppel version that trained it, or train again");
            var spec = SpecOf(info);
            int members = info["members"] is JsonArray list ? list.Count : 0;
            var nets = new List<FakeDetectorNet>();
            try
            {
                if (members == 0) nets.Add(LoadNet(spec, tensors));
                for (int i = 0; i < members; i++)
                {
                    string prefix = MemberPrefix(i);
                    nets.Add(LoadNet(spec, tensors.Where(t => t.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(t => t.Key[prefix.Length..], t => t.Value)));
                }
                int used = members == 0 ? tensors.Count : Enumerable.Range(0, members).Sum(i => tensors.Keys.Count(k => k.StartsWith(MemberPrefix(i), StringComparison.Ordinal)));
                if (used != tensors.Count) throw new StateDictMismatchException("the ensemble", [$"{tensors.Count - used} tensors belong to no member"]);
            }
            catch (StateDictMismatchException e)
            {
                throw new DoppelException($"{path}: the weights do not fit the network its metadata describes ({e.Message})", "the file is damaged or was edited; use the file doppel detect train wrote");
            }
            return new DetectorModel(System.IO.Path.GetFullPath(file), nets, info);
        }
        catch (JsonException e)
        {
            throw new DoppelException($"{path}: the detector metadata is not valid JSON ({e.Message})", "the file is damaged; use the file doppel detect train wrote");
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>
    /// Writes <paramref name="path"/> (weights + metadata, atomically) and the JSON beside it.
    /// Fills in format, version and spec; the caller gives the rest (name, threshold, figures).
    /// </summary>
    public static JsonObject Save(string path, FakeDetectorNet net, JsonObject info) => Write(path, net.StateDict(), net.Spec, info);

    /// <summary>
    /// Writes an ensemble of networks of one shape as one model (see the class summary); the
    /// caller's <paramref name="info"/> must hold the <c>members</c> array, one entry per network.
    /// </summary>
    public static JsonObject SaveEnsemble(string path, IReadOnlyList<FakeDetectorNet> nets, JsonObject info)
    {
        if (nets.Count < 2) throw new ArgumentException("an ensemble has at least two networks", nameof(nets));
        if (nets.Any(n => n.Spec != nets[0].Spec)) throw new ArgumentException("an ensemble's networks must have one shape", nameof(nets));
        if (info["members"] is not JsonArray members || members.Count != nets.Count) throw new ArgumentException("info must describe each network in 'members'", nameof(info));
        var state = nets.SelectMany((net, i) => net.StateDict().Select(t => (MemberPrefix(i) + t.Name, t.Tensor))).ToList();
        return Write(path, state, nets[0].Spec, info);
    }

    private static string MemberPrefix(int index) => FormattableString.Invariant($"members.{index}.");

    private static FakeDetectorNet LoadNet(DetectorSpec spec, Dictionary<string, Tensor> tensors)
    {
        var net = new FakeDetectorNet(spec, new Rng(0));
        net.LoadStateDict(tensors, strict: true);
        net.Eval();
        return net;
    }

    private static JsonObject Write(string path, IReadOnlyList<(string Name, Tensor Tensor)> state, DetectorSpec spec, JsonObject info)
    {
        info = (JsonObject)info.DeepClone();
        info["format"] = Format;
        info["version"] = WeightsDigest(state);
        info["spec"] = new JsonObject { ["inputSize"] = spec.InputSize, ["width"] = spec.Width, ["faceFraction"] = spec.FaceFraction };
        info["scores"] = "0 = looks real, 1 = looks fake";
        string json = info.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        SafeTensors.Save(path, state, new Dictionary<string, string> { [MetadataKey] = info.ToJsonString() });
        AtomicFile.WriteAllText(System.IO.Path.ChangeExtension(path, ".json"), json + "\n");
        return info;
    }

    private static DetectorSpec SpecOf(JsonObject info)
    {
        var spec = info["spec"] as JsonObject ?? throw new DoppelException("the detector metadata has no 'spec'", "the file is damaged; use the file doppel detect train wrote");
        var result = new DetectorSpec
        {
            InputSize = spec["inputSize"]?.GetValue<int>() ?? 0,
            Width = spec["width"]?.GetValue<int>() ?? 0,
            FaceFraction = spec["faceFraction"]?.GetValue<double>() ?? 0,
        };
        result.Validate();
        return result;
    }

    /// <summary>The first 12 hex digits of the SHA-256 of every tensor's name and float bytes, in state-dict order.</summary>
    private static string WeightsDigest(IReadOnlyList<(string Name, Tensor Tensor)> state)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, tensor) in state)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name));
            hash.AppendData(MemoryMarshal.AsBytes(tensor.Span));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} {Version}");
}
