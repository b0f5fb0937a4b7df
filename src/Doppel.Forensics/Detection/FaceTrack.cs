namespace Doppel.Forensics.Detection;

/// <summary>
/// One person across the sampled frames: the faces the tracker joined. Its score is the mean of
/// its frames' scores, so one odd frame does not decide, while a face that looks pasted in most
/// frames does.
/// </summary>
public sealed class FaceTrack(int id)
{
    private readonly List<FaceObservation> _faces = [];

    public int Id { get; } = id;
    public IReadOnlyList<FaceObservation> Faces => _faces;
    public FaceObservation Last => _faces[^1];
    public float Score => _faces.Count == 0 ? 0 : _faces.Average(f => f.Score);

    public void Add(FaceObservation face) => _faces.Add(face);
}
