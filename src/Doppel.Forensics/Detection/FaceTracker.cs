namespace Doppel.Forensics.Detection;

/// <summary>
/// Groups faces across frames into tracks, greedily: in each frame, faces in order of size join
/// the open track whose last box overlaps theirs most (IoU at least <see cref="MinIoU"/>, each
/// track at most once per frame); the rest start new tracks. Sampled frames may be seconds
/// apart, so the overlap test is loose; a person who moves far between samples starts a new
/// track, which can only add tracks, never merge two people.
/// </summary>
public sealed class FaceTracker
{
    public const double MinIoU = 0.2;
    private readonly List<FaceTrack> _tracks = [];

    public IReadOnlyList<FaceTrack> Tracks => _tracks;

    public void AddFrame(IReadOnlyList<FaceObservation> faces)
    {
        var taken = new HashSet<FaceTrack>();
        foreach (var face in faces.OrderByDescending(f => f.Box.Area))
        {
            FaceTrack? best = null;
            double bestIoU = MinIoU;
            foreach (var track in _tracks)
            {
                if (taken.Contains(track)) continue;
                double iou = track.Last.Box.IoU(face.Box);
                if (iou >= bestIoU) (best, bestIoU) = (track, iou);
            }
            best ??= NewTrack();
            best.Add(face);
            taken.Add(best);
        }
    }

    private FaceTrack NewTrack()
    {
        var track = new FaceTrack(_tracks.Count);
        _tracks.Add(track);
        return track;
    }
}
