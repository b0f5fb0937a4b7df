using Doppel.Core;
using Doppel.Media.Files;
using Doppel.Media.Imaging;
using Doppel.Media.Video;
using Doppel.Provenance;
using Doppel.Provenance.Cose;
using Doppel.Provenance.Manifest;

namespace Doppel.Swap;

/// <summary>
/// The one place where a synthetic image or video Doppel makes becomes a finished file under its
/// real name, labelled with C2PA content credentials that say it is synthetic: a converted frame
/// or video is a composite (the real source, opened, then edited with a trained model; the source
/// and the model's weights are its ingredients, by hash), a preview of training is
/// <c>compositeWithTrainedAlgorithmicMedia</c> too (it shows real faces beside drawn ones). The
/// label goes onto the finished temporary file, which is renamed only afterwards, so an output
/// never appears unlabelled, half-written, or labelled over bytes that then change.
/// <see cref="Unsigned"/> (the commands' <c>--no-sign</c>) finishes the same way without a label.
/// </summary>
public sealed class OutputFinaliser
{
    private readonly Lazy<SigningIdentity>? _identity;
    private readonly IReadOnlyList<IngredientFile> _inputs;

    private OutputFinaliser(Lazy<SigningIdentity>? identity, IReadOnlyList<IngredientFile> inputs)
    {
        _identity = identity;
        _inputs = inputs;
    }

    /// <summary>Finishes outputs without content credentials (<c>--no-sign</c>).</summary>
    public static OutputFinaliser Unsigned { get; } = new(null, []);

    /// <summary>Labels every output, signed with <paramref name="identity"/> (default: the local key, created on first use).</summary>
    /// <param name="inputs">Files every output was made with, e.g. the model's weights (relationship inputTo).</param>
    public static OutputFinaliser Signing(IReadOnlyList<IngredientFile>? inputs = null, SigningIdentity? identity = null) =>
        new(identity is null ? new Lazy<SigningIdentity>(() => SigningIdentity.LoadOrCreateLocal()) : new Lazy<SigningIdentity>(identity), inputs ?? []);

    /// <summary>True when outputs get content credentials.</summary>
    public bool Signs => _identity is not null;

    /// <summary>Finishes the encode, labels the video and renames it into place (see <see cref="VideoWriter.Complete"/>).</summary>
    /// <param name="source">The real video the frames came from (the parent ingredient); null when there is none.</param>
    public void Finish(VideoWriter writer, string? source) =>
        writer.Complete(Signs ? temporary => Label(temporary, writer.Path, source) : null);

    /// <summary>Writes a synthetic still: a temporary name, the label, then the rename.</summary>
    /// <param name="source">The real image or video it was made from (the parent ingredient); null when there is none.</param>
    public void Finish(string path, RgbImage image, string? source)
    {
        if (!Signs)
        {
            ImageFile.Write(path, image);
            return;
        }
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        // The extension stays last: it chooses the image format.
        string temporary = Path.Combine(dir, $".{Path.GetFileNameWithoutExtension(full)}.{Guid.NewGuid():N}.tmp{Path.GetExtension(full)}");
        try
        {
            ImageFile.Write(temporary, image);
            Label(temporary, full, source);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            TryDelete(temporary);
            TryDelete(ContentCredentials.SidecarPath(temporary));
        }
    }

    private void Label(string file, string finalPath, string? source)
    {
        var ingredients = new List<IngredientFile>();
        if (source is not null) ingredients.Add(new IngredientFile(source, IngredientRelationship.ParentOf));
        ingredients.AddRange(_inputs);
        var label = new SynthesisLabel
        {
            Kind = SynthesisKind.Composite,
            Title = Path.GetFileName(finalPath),
            Ingredients = ingredients,
        };
        ContentCredentials.SignFile(file, file, label, _identity!.Value);
        // A format without a place for a manifest gets a sidecar, named after the file: it must
        // follow the file to its real name (it is moved first, so the output never lacks it).
        string sidecar = ContentCredentials.SidecarPath(file);
        if (File.Exists(sidecar)) File.Move(sidecar, ContentCredentials.SidecarPath(finalPath), overwrite: true);
    }

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
