namespace Doppel.Media.Png;

/// <summary>The five per-row PNG filters; the number is the byte written before each row.</summary>
public enum PngFilterType : byte
{
    None = 0,
    Sub = 1,
    Up = 2,
    Average = 3,
    Paeth = 4,
}
