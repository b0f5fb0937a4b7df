namespace Doppel.Faces.Tests.Detection;

/// <summary>
/// The BlazeFace tests on real video run one class at a time: each keeps a core busy, and the
/// speed test's figures mean little while the others run beside it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BlazeFaceRealVideoCollection
{
    public const string Name = "BlazeFace real video";
}
