using Doppel.Faces.Detection;
using Doppel.Media.Imaging;

namespace Doppel.Faces.Evaluation;

/// <summary>A picture with the boxes of the faces in it, counted by construction or by eye.</summary>
public sealed record GroupPhoto(string Name, RgbImage Image, IReadOnlyList<DetectionBox> Faces);
