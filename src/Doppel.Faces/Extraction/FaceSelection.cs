namespace Doppel.Faces.Extraction;

/// <summary>Which of the faces found in a frame to keep.</summary>
public enum FaceSelection
{
    /// <summary>Only the largest face (by box area): the usual case of one subject per clip.</summary>
    Largest,

    /// <summary>Every face that passes the size and score filters.</summary>
    All,
}
