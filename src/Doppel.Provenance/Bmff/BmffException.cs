namespace Doppel.Provenance.Bmff;

/// <summary>Malformed ISO BMFF (MP4) box structure. Never thrown for anything but bad input.</summary>
public sealed class BmffException(string message) : Exception(message);
