using Doppel.Provenance.Cose;
using Doppel.Provenance.Manifest;

namespace Doppel.Provenance;

/// <summary>
/// The one policy by which a synthetic image or video Doppel makes becomes a finished file under
/// its real name, labelled with C2PA content credentials that say it is synthetic. Two kinds:
/// <list type="bullet">
/// <item><see cref="Created"/>: entirely drawn by a model (a GAN sample): one c2pa.created
/// action with digitalSourceType trainedAlgorithmicMedia; the model's weights are an inputTo
/// ingredient.</item>
/// <item><see cref="Composite"/>: a real source with drawn parts (a swapped face, a training
/// preview that shows real faces beside drawn ones): c2pa.opened on the source (the parentOf
/// ingredient), then c2pa.edited with compositeWithTrainedAlgorithmicMedia; the model is an input.</item>
/// </list>
/// The label goes onto the finished temporary file, which is renamed only afterwards (its sidecar
/// first, when the format has no place for a manifest), so an output never appears unlabelled,
/// half-written, or labelled over bytes that then change. <see cref="Unsigned"/> (the commands'
/// <c>--no-sign</c>) finishes the same way without a label.
/// <para>
/// The policy works on files, not pixels: the caller writes its image or video to the temporary
/// path it is given (with the target's extension, which chooses the format), so Provenance needs
/// no media project and any command (convert, train, a GAN's sampler) labels through this class.
/// </para>
/// </summary>
public sealed record SyntheticOutputPolicy
{
    private readonly Lazy<SigningIdentity>? _identity;

    private SyntheticOutputPolicy(SynthesisKind kind, Lazy<SigningIdentity>? identity, IReadOnlyList<IngredientFile> inputs)
    {
        if (inputs.Any(i => i.Relationship == IngredientRelationship.ParentOf))
            throw new ArgumentException("the parent ingredient is the source of each output, passed when it is written", nameof(inputs));
        Kind = kind;
        _identity = identity;
        Inputs = inputs;
    }

    /// <summary>Finishes outputs without content credentials (<c>--no-sign</c>).</summary>
    public static SyntheticOutputPolicy Unsigned { get; } = new(SynthesisKind.Composite, null, []);

    /// <summary>Outputs entirely drawn by a model (trainedAlgorithmicMedia), e.g. GAN samples.</summary>
    /// <param name="inputs">Files every output was made with, above all the model's weights (inputTo).</param>
    /// <param name="identity">Who signs (default: the local key, created on first use).</param>
    public static SyntheticOutputPolicy Created(IReadOnlyList<IngredientFile> inputs, SigningIdentity? identity = null) =>
        new(SynthesisKind.Generated, Identity(identity), inputs);

    /// <summary>Outputs made by editing a real source with a model (compositeWithTrainedAlgorithmicMedia), e.g. swapped faces.</summary>
    /// <param name="inputs">Files every output was made with, e.g. the model's weights (inputTo).</param>
    /// <param name="identity">Who signs (default: the local key, created on first use).</param>
    public static SyntheticOutputPolicy Composite(IReadOnlyList<IngredientFile>? inputs = null, SigningIdentity? identity = null) =>
        new(SynthesisKind.Composite, Identity(identity), inputs ?? []);

    /// <summary>An ingredient for a model's weights file (inputTo every output).</summary>
    public static IngredientFile Model(string weightsPath) => new(weightsPath, IngredientRelationship.InputTo);

    public SynthesisKind Kind { get; }

    /// <summary>The inputTo ingredients of every output.</summary>
    public IReadOnlyList<IngredientFile> Inputs { get; }

    /// <summary>Optional words on what was done, e.g. "face swapped with model h128".</summary>
    public string? Description { get; init; }

    /// <summary>True when outputs get content credentials.</summary>
    public bool Signs => _identity is not null;

    /// <summary>What the manifest of the output at <paramref name="finalPath"/> says.</summary>
    /// <param name="source">The real image or video a composite was made from (parentOf); null when there is none. A created output has none.</param>
    public SynthesisLabel LabelFor(string finalPath, string? source = null, string? title = null)
    {
        if (source is not null && Kind == SynthesisKind.Generated)
            throw new ArgumentException("an output a model created from nothing has no source; editing a source makes a composite", nameof(source));
        var ingredients = new List<IngredientFile>();
        if (source is not null) ingredients.Add(new IngredientFile(source, IngredientRelationship.ParentOf));
        ingredients.AddRange(Inputs);
        return new SynthesisLabel
        {
            Kind = Kind,
            Title = title ?? Path.GetFileName(finalPath),
            Description = Description,
            Ingredients = ingredients,
        };
    }

    /// <summary>
    /// Writes a synthetic file: <paramref name="write"/> fills a temporary path beside
    /// <paramref name="path"/> (same extension), the label goes on, the sidecar (if any) and then
    /// the file are renamed into place. On any failure neither is left behind.
    /// </summary>
    public void Write(string path, Action<string> write, string? source = null)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        // The extension stays last: it chooses the image format.
        string temporary = Path.Combine(dir, $".{Path.GetFileNameWithoutExtension(full)}.{Guid.NewGuid():N}.tmp{Path.GetExtension(full)}");
        try
        {
            write(temporary);
            if (Signs) Label(temporary, full, source);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            TryDelete(temporary);
            TryDelete(ContentCredentials.SidecarPath(temporary));
        }
    }

    /// <summary>
    /// For a writer that renames its own temporary file (a video encoder): what to run on that
    /// file before the rename, or null when outputs are unsigned.
    /// </summary>
    public Action<string>? BeforeRename(string finalPath, string? source = null) =>
        Signs ? temporary => Label(temporary, Path.GetFullPath(finalPath), source) : null;

    /// <summary>
    /// Labels an existing file into <paramref name="output"/> (the same path labels in place),
    /// as <c>doppel sign</c> does; returns where the manifest went ("PNG", "JPEG", "MP4", "sidecar").
    /// </summary>
    public string Sign(string input, string output, string? source = null, string? title = null)
    {
        if (!Signs) throw new InvalidOperationException("an unsigned policy does not sign");
        return ContentCredentials.SignFile(input, output, LabelFor(output, source, title), _identity!.Value);
    }

    private void Label(string file, string finalPath, string? source)
    {
        ContentCredentials.SignFile(file, file, LabelFor(finalPath, source), _identity!.Value);
        // A format without a place for a manifest gets a sidecar, named after the file: it must
        // follow the file to its real name (it is moved first, so the output never lacks it).
        string sidecar = ContentCredentials.SidecarPath(file);
        if (File.Exists(sidecar)) File.Move(sidecar, ContentCredentials.SidecarPath(finalPath), overwrite: true);
    }

    private static Lazy<SigningIdentity> Identity(SigningIdentity? identity) =>
        identity is null ? new Lazy<SigningIdentity>(() => SigningIdentity.LoadOrCreateLocal()) : new Lazy<SigningIdentity>(identity);

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
