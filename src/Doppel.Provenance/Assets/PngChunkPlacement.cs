namespace Doppel.Provenance.Assets;

/// <summary>Where <see cref="PngChunkEditor.Insert"/> puts a new chunk.</summary>
public enum PngChunkPlacement
{
    /// <summary>Right after IHDR, before any image data: readers that stream the file meet it first.</summary>
    AfterHeader,

    /// <summary>Just before IEND, after all image data.</summary>
    BeforeEnd,
}
