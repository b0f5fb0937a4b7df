using Doppel.Core;

namespace Doppel.Studio.Jobs;

/// <summary>The job kinds Studio offers, by name: one line each.</summary>
public sealed class JobKinds
{
    private readonly Dictionary<string, IJobKind> _kinds = new(StringComparer.Ordinal);

    /// <param name="detectorModel">The detector detect jobs use when none is asked for (<see cref="StudioOptions.DetectorModel"/>).</param>
    public static JobKinds Create(bool detectAvailable, string? detectorModel = null)
    {
        var kinds = new JobKinds()
            .Add(new ExtractJobKind())
            .Add(new TrainJobKind())
            .Add(new GanTrainJobKind())
            .Add(new ConvertJobKind());
        // detect joins when this build has `doppel detect`; otherwise the page says it is not available.
        if (detectAvailable) kinds.Add(new DetectJobKind(detectorModel));
        return kinds;
    }

    public JobKinds Add(IJobKind kind)
    {
        if (!_kinds.TryAdd(kind.Name, kind)) throw new ArgumentException($"job kind '{kind.Name}' is registered twice", nameof(kind));
        return this;
    }

    public IReadOnlyList<string> Names => [.. _kinds.Keys];

    public IJobKind Get(string name) =>
        _kinds.TryGetValue(name, out var kind) ? kind
            : throw new DoppelException($"unknown job kind '{name}'", $"available: {string.Join(", ", _kinds.Keys)}");
}
