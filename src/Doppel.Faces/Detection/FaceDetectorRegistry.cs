using Doppel.Core;

namespace Doppel.Faces.Detection;

/// <summary>
/// Detectors by name. Registered explicitly (no assembly scanning): adding a detector is one
/// line here. The first entry is the default.
/// </summary>
public static class FaceDetectorRegistry
{
    private static readonly (string Name, string Description, Func<FaceDetectorSettings, IFaceDetector> Create)[] Entries =
    [
        ("blazeface", "BlazeFace front model (128 px), the back model (256 px) when it finds nothing; photos (and --faces all) also both models on the whole image and front-model tiles at finer scales",
            s => new BlazeFaceDetector(BlazeFaceOptions.From(s, BlazeFaceMode.FrontThenBack))),
        ("blazeface-front", "BlazeFace front model only (faces larger than about a fifth of the frame; photos: front-model tiles)",
            s => new BlazeFaceDetector(BlazeFaceOptions.From(s, BlazeFaceMode.Front))),
        ("blazeface-back", "BlazeFace back model only (256 px input, smaller faces; photos: back-model tiles)",
            s => new BlazeFaceDetector(BlazeFaceOptions.From(s, BlazeFaceMode.Back))),
    ];

    public static string DefaultName => Entries[0].Name;

    public static IReadOnlyList<string> Names => Entries.Select(e => e.Name).ToArray();

    public static string Describe(string name) => Find(name).Description;

    public static IFaceDetector Create(string name, FaceDetectorSettings? settings = null)
    {
        settings ??= FaceDetectorSettings.Default;
        settings.Validate();
        return Find(name).Create(settings);
    }

    private static (string Name, string Description, Func<FaceDetectorSettings, IFaceDetector> Create) Find(string name)
    {
        foreach (var entry in Entries)
            if (string.Equals(entry.Name, name, StringComparison.OrdinalIgnoreCase)) return entry;
        throw new DoppelException($"unknown face detector '{name}'", $"choose one of: {string.Join(", ", Names)}");
    }
}
