namespace Doppel.Provenance.Manifest;

/// <summary>How much of the asset a model made.</summary>
public enum SynthesisKind
{
    /// <summary>Entirely generated (digitalSourceType trainedAlgorithmicMedia): a c2pa.created action.</summary>
    Generated,

    /// <summary>A real source with generated parts, e.g. a swapped face (compositeWithTrainedAlgorithmicMedia): the source is opened, then edited.</summary>
    Composite,
}

/// <summary>How an ingredient relates to the signed asset (C2PA ingredient relationship).</summary>
public enum IngredientRelationship
{
    /// <summary>The asset is a modified version of this file (the source video or frame).</summary>
    ParentOf,

    /// <summary>This file is a part placed into the asset.</summary>
    ComponentOf,

    /// <summary>This file was an input to the process that made the asset (the model's weights).</summary>
    InputTo,
}

/// <summary>A file the asset was made from, recorded in the manifest by its SHA-256, name and format.</summary>
public sealed record IngredientFile(string Path, IngredientRelationship Relationship);

/// <summary>What the manifest says about a synthetic asset: how it was made, by which software, from which files.</summary>
public sealed record SynthesisLabel
{
    public SynthesisKind Kind { get; init; } = SynthesisKind.Generated;

    /// <summary>The claim's dc:title; null means the output's file name.</summary>
    public string? Title { get; init; }

    public string SoftwareAgent { get; init; } = "Doppel";

    public string SoftwareVersion { get; init; } = DefaultVersion;

    /// <summary>Optional words on the edit, e.g. "face swapped with model h128".</summary>
    public string? Description { get; init; }

    public IReadOnlyList<IngredientFile> Ingredients { get; init; } = [];

    /// <summary>The IPTC digital source type URI for <see cref="Kind"/>.</summary>
    public string DigitalSourceType => Kind == SynthesisKind.Composite ? C2pa.CompositeWithTrainedAlgorithmicMedia : C2pa.TrainedAlgorithmicMedia;

    /// <summary>This assembly's version without the build metadata ("0.1.0", not "0.1.0+abc").</summary>
    public static string DefaultVersion { get; } =
        (typeof(SynthesisLabel).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "0.0.0").Split('+')[0];
}
