using Doppel.Core;
using Doppel.Faces.Extraction;
using Doppel.Studio.Security;

namespace Doppel.Studio.FaceSets;

/// <summary>One face of a face set, as the grid shows it.</summary>
public sealed record FaceEntry(string File, string Source, long Frame, double Score);

/// <summary>A face set folder under <c>facesets/</c>: its name and how many faces it has and has had removed.</summary>
public sealed record FaceSetSummary(string Name, int Faces, int Removed, int CropSize);

/// <summary>
/// The face sets in the workspace (<c>facesets/NAME/</c> with an alignments.json, as
/// <c>doppel extract</c> writes them) and their faces, read with the extractor's own
/// <see cref="AlignmentsFile"/>. Removed faces live in <c>NAME/removed/</c>, itself a face set
/// (<see cref="FaceRemoval"/>).
/// </summary>
public sealed class FaceSetCatalog(Workspace workspace)
{
    public IReadOnlyList<FaceSetSummary> List()
    {
        var root = new DirectoryInfo(Path.Combine(workspace.Root, Workspace.FaceSets));
        var result = new List<FaceSetSummary>();
        foreach (var dir in root.EnumerateDirectories().OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            if (!Workspace.IsPlainName(dir.Name) || !File.Exists(Path.Combine(dir.FullName, AlignmentsFile.FileName))) continue;
            try
            {
                FaceRemoval.Recover(dir.FullName);
                var doc = AlignmentsFile.Read(Path.Combine(dir.FullName, AlignmentsFile.FileName));
                string removed = Path.Combine(dir.FullName, FaceRemoval.RemovedFolder, AlignmentsFile.FileName);
                result.Add(new FaceSetSummary(dir.Name, Faces(doc).Count(), File.Exists(removed) ? Faces(AlignmentsFile.Read(removed)).Count() : 0, doc.CropSize));
            }
            catch (DoppelException)
            {
                // A damaged or half-written set (an extract still running) is left out of the list, not an error for the page.
            }
        }
        return result;
    }

    /// <summary>The folder of face set <paramref name="name"/>; a DoppelException when there is none.</summary>
    public string Folder(string name)
    {
        if (!Workspace.IsPlainName(name)) throw new DoppelException($"'{name}' is not a face set name", "pick a face set from the list");
        string dir = workspace.Resolve($"{Workspace.FaceSets}/{name}");
        if (!File.Exists(Path.Combine(dir, AlignmentsFile.FileName))) throw new DoppelException($"face set not found: {name}", "extract it first (Jobs page)");
        return dir;
    }

    /// <summary>The faces with a crop, in the file's order (source, frame, face); <paramref name="removed"/> lists the removed ones instead.</summary>
    public IReadOnlyList<FaceEntry> Faces(string name, bool removed = false)
    {
        string dir = Folder(name);
        FaceRemoval.Recover(dir);
        string file = removed ? Path.Combine(dir, FaceRemoval.RemovedFolder, AlignmentsFile.FileName) : Path.Combine(dir, AlignmentsFile.FileName);
        if (!File.Exists(file)) return [];
        return Faces(AlignmentsFile.Read(file)).ToList();
    }

    /// <summary>The crop file of a face (in <c>faces/</c>, or <c>removed/faces/</c>).</summary>
    public string Crop(string name, string file, bool removed = false)
    {
        if (!Workspace.IsPlainName(file) || !file.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new DoppelException($"'{file}' is not a crop name", "crops are PNG files in the face set's faces/ folder");
        string relative = removed ? $"{Workspace.FaceSets}/{name}/{FaceRemoval.RemovedFolder}/faces/{file}" : $"{Workspace.FaceSets}/{name}/faces/{file}";
        string path = workspace.Resolve(relative);
        return File.Exists(path) ? path : throw new DoppelException($"crop not found: {file}", "reload the face set");
    }

    internal static IEnumerable<FaceEntry> Faces(AlignmentsDocument doc) =>
        from s in doc.Sources
        from f in s.Frames
        from face in f.Faces
        where face.File is not null
        select new FaceEntry(face.File!, Path.GetFileName(s.Path), f.Frame, face.Score);
}
