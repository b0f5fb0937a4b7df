namespace Doppel.Forensics.Training;

/// <summary>Which part of the run a face belongs to.</summary>
public enum SplitPart { Train, Validation, Gap }

/// <summary>
/// The validation split, by source and by time, never by random frames: neighbouring frames of a
/// clip are near copies, so a random split would validate on the training set. Each video is cut
/// into segments of <see cref="SegmentFrames"/> frames; every fifth segment (starting at an offset
/// drawn from the source's name and the seed) is held out whole, and training frames closer than
/// <see cref="GapFrames"/> to a held-out segment are dropped. A single image is one unit: held out
/// whole or not at all (one in five, by name).
/// </summary>
public sealed class TimeSegmentSplit(ulong seed, int segmentFrames = 48, int gapFrames = 12, int every = 5)
{
    public int SegmentFrames { get; } = segmentFrames;
    public int GapFrames { get; } = gapFrames;

    public SplitPart PartOf(DetectorFace face)
    {
        int offset = (int)(StableHash(face.Source) % (ulong)every);
        if (!face.IsVideo) return offset == 0 ? SplitPart.Validation : SplitPart.Train;
        long segment = face.Frame / SegmentFrames;
        if (Held(segment, offset)) return SplitPart.Validation;
        long within = face.Frame - segment * SegmentFrames;
        bool nearPrevious = within < GapFrames && segment > 0 && Held(segment - 1, offset);
        bool nearNext = within >= SegmentFrames - GapFrames && Held(segment + 1, offset);
        return nearPrevious || nearNext ? SplitPart.Gap : SplitPart.Train;
    }

    private bool Held(long segment, int offset) => (segment + offset) % every == every / 2;

    // FNV-1a over the file name (not the folder: the split must not change when data moves) and the seed.
    private ulong StableHash(string source)
    {
        ulong h = 14695981039346656037UL ^ seed;
        foreach (char c in Path.GetFileName(source)) h = (h ^ c) * 1099511628211UL;
        return h;
    }
}
