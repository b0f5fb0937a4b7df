namespace Doppel.Faces.Tests.Landmarks;

/// <summary>
/// Keeps the tests that parse the 100 MB model and the one that times predictions from
/// running at the same time: parsing would otherwise make the timing meaningless.
/// </summary>
[CollectionDefinition(Name)]
public sealed class HeavyLandmarkTests
{
    public const string Name = "Heavy landmark tests";
}
