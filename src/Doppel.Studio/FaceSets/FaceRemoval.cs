using System.Collections.Concurrent;
using System.Text.Json;
using Doppel.Core;
using Doppel.Faces.Extraction;

namespace Doppel.Studio.FaceSets;

/// <summary>
/// Removes faces from a face set without deleting anything, and puts them back. A removed face's
/// crop moves from <c>faces/</c> to <c>removed/faces/</c> and its entry from
/// <c>alignments.json</c> to <c>removed/alignments.json</c> (the same format, the same header),
/// so <c>removed/</c> is itself a face set a person can look at or restore from.
/// <para>
/// Three files change per operation, and a crash may come between any two. So the operation is
/// first written to <c>removed/pending.json</c>, then carried out by <see cref="Apply"/>, whose
/// every step is idempotent (an entry is added where it is missing and dropped where it is left,
/// a crop moves only if it is still at its old place), then the journal is deleted. Whoever opens
/// the face set next (<see cref="Recover"/>) finishes an operation that was cut short. Each
/// alignments file is replaced atomically by <see cref="AlignmentsFile.Write"/>.
/// </para>
/// </summary>
public static class FaceRemoval
{
    public const string RemovedFolder = "removed";
    private const string JournalName = "pending.json";
    private static readonly ConcurrentDictionary<string, object> Locks = new(StringComparer.Ordinal);

    private sealed record Journal(string Operation, string[] Files);

    /// <summary>Moves the faces with these crop names to removed/; returns how many were moved.</summary>
    public static int Remove(string faceSet, IReadOnlyCollection<string> files) => Run(faceSet, "remove", files);

    /// <summary>Puts removed faces back; returns how many came back.</summary>
    public static int Restore(string faceSet, IReadOnlyCollection<string> files) => Run(faceSet, "restore", files);

    /// <summary>Finishes an operation a crash cut short, if any.</summary>
    public static void Recover(string faceSet)
    {
        lock (Locks.GetOrAdd(Path.GetFullPath(faceSet), _ => new object()))
        {
            string journal = Path.Combine(faceSet, RemovedFolder, JournalName);
            if (!File.Exists(journal)) return;
            Journal? pending;
            try { pending = JsonSerializer.Deserialize<Journal>(File.ReadAllBytes(journal)); }
            catch (JsonException) { pending = null; } // torn before its rename could not happen (atomic write); unreadable means not ours
            if (pending is not null) Apply(faceSet, pending.Operation == "restore", pending.Files);
            File.Delete(journal);
        }
    }

    private static int Run(string faceSet, string operation, IReadOnlyCollection<string> files)
    {
        if (files.Count == 0) throw new DoppelException("no faces selected", "click the faces to select them first");
        Recover(faceSet);
        lock (Locks.GetOrAdd(Path.GetFullPath(faceSet), _ => new object()))
        {
            bool restore = operation == "restore";
            var (from, _) = Documents(faceSet, restore);
            var known = FaceSetCatalog.Faces(from).Select(f => f.File).ToHashSet(StringComparer.Ordinal);
            foreach (string f in files)
                if (!known.Contains(f))
                    throw new DoppelException($"face not found: {f} is not {(restore ? "among the removed faces" : "in the face set")}", "reload the face set");
            Directory.CreateDirectory(Path.Combine(faceSet, RemovedFolder, "faces"));
            string journal = Path.Combine(faceSet, RemovedFolder, JournalName);
            AtomicFile.WriteAllBytes(journal, JsonSerializer.SerializeToUtf8Bytes(new Journal(operation, [.. files])));
            Apply(faceSet, restore, files);
            File.Delete(journal);
            return files.Count;
        }
    }

    // Each step checks before it acts, so running this again after a crash at any point ends in
    // the same state as one uninterrupted run.
    private static void Apply(string faceSet, bool restore, IReadOnlyCollection<string> files)
    {
        string mainFile = Path.Combine(faceSet, AlignmentsFile.FileName);
        string removedFile = Path.Combine(faceSet, RemovedFolder, AlignmentsFile.FileName);
        var (from, to) = Documents(faceSet, restore);
        string fromFile = restore ? removedFile : mainFile, toFile = restore ? mainFile : removedFile;
        string fromCrops = restore ? Path.Combine(faceSet, RemovedFolder, "faces") : Path.Combine(faceSet, "faces");
        string toCrops = restore ? Path.Combine(faceSet, "faces") : Path.Combine(faceSet, RemovedFolder, "faces");
        var wanted = files.ToHashSet(StringComparer.Ordinal);

        // 1. The entries are added to the destination document first: from here on nothing is lost.
        if (AddMissing(from, to, wanted)) AlignmentsFile.Write(toFile, to);
        // 2. The crops move.
        Directory.CreateDirectory(toCrops);
        foreach (string f in wanted)
        {
            string source = Path.Combine(fromCrops, f), target = Path.Combine(toCrops, f);
            if (File.Exists(source) && !File.Exists(target)) File.Move(source, target);
        }
        // 3. The entries leave the source document.
        if (DropListed(from, wanted)) AlignmentsFile.Write(fromFile, from);
    }

    private static (AlignmentsDocument From, AlignmentsDocument To) Documents(string faceSet, bool restore)
    {
        var main = AlignmentsFile.Read(Path.Combine(faceSet, AlignmentsFile.FileName));
        string removedFile = Path.Combine(faceSet, RemovedFolder, AlignmentsFile.FileName);
        var removed = File.Exists(removedFile) ? AlignmentsFile.Read(removedFile) : EmptyLike(main);
        return restore ? (removed, main) : (main, removed);
    }

    private static AlignmentsDocument EmptyLike(AlignmentsDocument d) => new()
    {
        Generator = d.Generator, CropSize = d.CropSize, FaceFraction = d.FaceFraction, Template = d.Template, Detector = d.Detector,
    };

    private static bool AddMissing(AlignmentsDocument from, AlignmentsDocument to, HashSet<string> wanted)
    {
        var present = FaceSetCatalog.Faces(to).Select(f => f.File).ToHashSet(StringComparer.Ordinal);
        bool changed = false;
        foreach (var source in from.Sources)
            foreach (var frame in source.Frames)
                foreach (var face in frame.Faces)
                {
                    if (face.File is null || !wanted.Contains(face.File) || present.Contains(face.File)) continue;
                    Insert(to, source, frame.Frame, face);
                    changed = true;
                }
        return changed;
    }

    // Into the same source (by path) and frame (by number), creating them where missing; frames stay
    // in order and faces in crop-name order (the crop name ends in the face's index in its frame).
    private static void Insert(AlignmentsDocument doc, SourceAlignments like, long frameNumber, FaceAlignment face)
    {
        var source = doc.Sources.FirstOrDefault(s => s.Path == like.Path);
        if (source is null)
        {
            source = new SourceAlignments { Path = like.Path, Kind = like.Kind, Width = like.Width, Height = like.Height, EveryNth = like.EveryNth, Complete = like.Complete };
            doc.Sources.Add(source);
        }
        int i = source.Frames.FindIndex(f => f.Frame >= frameNumber);
        if (i >= 0 && source.Frames[i].Frame == frameNumber)
            source.Frames[i] = source.Frames[i] with { Faces = [.. source.Frames[i].Faces.Append(face).OrderBy(f => f.File, StringComparer.Ordinal)] };
        else
            source.Frames.Insert(i < 0 ? source.Frames.Count : i, new FrameAlignments(frameNumber, [face]));
    }

    private static bool DropListed(AlignmentsDocument doc, HashSet<string> wanted)
    {
        bool changed = false;
        foreach (var source in doc.Sources)
            for (int i = 0; i < source.Frames.Count; i++)
            {
                var frame = source.Frames[i];
                var kept = frame.Faces.Where(f => f.File is null || !wanted.Contains(f.File)).ToList();
                if (kept.Count == frame.Faces.Count) continue;
                // The frame stays, with fewer faces: alignments.json lists every frame read.
                source.Frames[i] = frame with { Faces = kept };
                changed = true;
            }
        return changed;
    }
}
