using Doppel.Tensors.Nn;

namespace Doppel.Forensics.Training;

/// <summary>
/// Draws training faces so that each face set is drawn equally often, whatever its size: a folder
/// of twenty photos of twenty people weighs as much as a 1,300-frame video of one person, because
/// what the detector must not learn is one person's or one camera's look. Within a set, faces are
/// drawn uniformly. With a single set no extra random number is drawn.
/// </summary>
public sealed class FaceSetSampler
{
    private readonly DetectorFace[][] _sets;

    public FaceSetSampler(IReadOnlyList<DetectorFace> faces)
    {
        if (faces.Count == 0) throw new ArgumentException("no faces to draw from", nameof(faces));
        _sets = [.. faces.GroupBy(f => f.Set).OrderBy(g => g.Key).Select(g => g.ToArray())];
    }

    public int SetCount => _sets.Length;

    public int FaceCount => _sets.Sum(set => set.Length);

    public DetectorFace Next(Rng rng)
    {
        var set = _sets.Length == 1 ? _sets[0] : _sets[rng.Next(_sets.Length)];
        return set[rng.Next(set.Length)];
    }
}
