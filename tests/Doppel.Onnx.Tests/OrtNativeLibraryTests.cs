using Doppel.Core;
using Doppel.Onnx.Native;

namespace Doppel.Onnx.Tests;

/// <summary>Loading the native library: a missing or broken file is an expected error that says how to fix it.</summary>
public class OrtNativeLibraryTests
{
    [Fact]
    public void AMissingLibrary_PointsAtSetup()
    {
        string path = Path.Combine(Path.GetTempPath(), $"doppel-{Guid.NewGuid():N}", "libonnxruntime.so.1");
        var e = Assert.Throws<DoppelException>(() => OrtNativeLibrary.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Equal("run ./doppel setup (npm onnxruntime-node@1.30.0)", e.Hint);
    }

    [Fact]
    public void AFileThatIsNotALibrary_PointsAtSetup()
    {
        string path = Path.Combine(Path.GetTempPath(), $"doppel-{Guid.NewGuid():N}.so");
        File.WriteAllText(path, "truncated download");
        try
        {
            var e = Assert.Throws<DoppelException>(() => OrtNativeLibrary.Load(path));
            Assert.Contains("cannot load ONNX Runtime", e.Message);
            Assert.Equal(OrtNativeLibrary.SetupHint, e.Hint);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheDefaultPath_IsTheNpmPackageInTheCache()
    {
        Assert.EndsWith("npm/onnxruntime-node@1.30.0/package/bin/napi-v6/linux/x64/libonnxruntime.so.1", OrtNativeLibrary.DefaultPath);
        Assert.True(File.Exists(OrtNativeLibrary.DefaultPath), "run ./doppel setup");
    }
}
