using Doppel.Tensors.Kernels;

namespace Doppel.Tensors.Tests;

public class OpenBlasCoreTypeTests
{
    private static HashSet<string> Flags(string line) => line.Split(' ').ToHashSet();

    [Fact]
    public void Avx512WithBf16IsCooperlake() =>
        Assert.Equal("COOPERLAKE", OpenBlasCoreType.ForFlags(Flags("sse3 avx2 fma avx512f avx512dq avx512bw avx512vl avx512_bf16")));

    [Fact]
    public void Avx512WithoutBf16IsSkylakeX() =>
        Assert.Equal("SKYLAKEX", OpenBlasCoreType.ForFlags(Flags("sse3 avx2 fma avx512f avx512dq avx512bw avx512vl")));

    [Fact]
    public void PartialAvx512IsHaswell() =>
        // AVX-512F alone (Knights Landing) lacks the BW/DQ/VL subsets SkylakeX kernels use.
        Assert.Equal("HASWELL", OpenBlasCoreType.ForFlags(Flags("sse3 avx2 fma avx512f avx512_bf16")));

    [Fact]
    public void OlderCpusAreLeftToOpenBlas()
    {
        Assert.Null(OpenBlasCoreType.ForFlags(Flags("sse3 ssse3 avx")));
        Assert.Null(OpenBlasCoreType.ForFlags(new HashSet<string>()));
    }

    [Fact]
    public void FlagsAreReadFromTheFirstProcessor()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Processor\nflags\t\t: fpu avx2 fma\n\nprocessor\t: 1\nflags\t\t: fpu\n");
            Assert.Equal(new HashSet<string> { "fpu", "avx2", "fma" }, OpenBlasCoreType.CpuFlags(path));
            Assert.Empty(OpenBlasCoreType.CpuFlags(path + ".missing"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
