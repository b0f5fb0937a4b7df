using System.Runtime.InteropServices;

namespace Doppel.Faces.Landmarks;

/// <summary>
/// One internal node of a regression tree: go left when
/// pixel[Feature1] - pixel[Feature2] &gt; Threshold. The three fields sit together (12 bytes)
/// so a tree's nodes share cache lines; the cache file stores this struct as it is in memory.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct SplitNode(int Feature1, int Feature2, float Threshold);
