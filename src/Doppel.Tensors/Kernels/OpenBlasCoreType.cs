using System.Runtime.InteropServices;

namespace Doppel.Tensors.Kernels;

/// <summary>
/// Chooses OpenBLAS's kernel family from the CPU's own feature flags, before the library loads.
/// Debian's OpenBLAS 0.3.21 picks its kernels from the CPUID family and model; on virtual
/// machines that report a generic "Intel Xeon Processor" it does not recognise the model and
/// falls back to its Prescott (SSE3) kernels, even when AVX-512 is there: measured on such a
/// 2-core machine, sgemm 2048^3 ran at 61 GFLOP/s as Prescott and 297 GFLOP/s as SkylakeX.
/// OpenBLAS honours <c>OPENBLAS_CORETYPE</c> at load, so Doppel sets it from the flags the kernel
/// reports in /proc/cpuinfo, unless the user set it already.
/// </summary>
public static partial class OpenBlasCoreType
{
    /// <summary>The core type for a set of /proc/cpuinfo flags, or null to let OpenBLAS decide.</summary>
    /// <remarks>Cooperlake is SkylakeX plus AVX512-BF16 (its sbgemm uses vdpbf16ps); both need
    /// the F, BW, DQ and VL subsets. Haswell is the AVX2 + FMA family.</remarks>
    public static string? ForFlags(IReadOnlySet<string> flags)
    {
        bool avx512 = flags.Contains("avx512f") && flags.Contains("avx512bw") && flags.Contains("avx512dq") && flags.Contains("avx512vl");
        if (avx512 && flags.Contains("avx512_bf16")) return "COOPERLAKE";
        if (avx512) return "SKYLAKEX";
        if (flags.Contains("avx2") && flags.Contains("fma")) return "HASWELL";
        return null;
    }

    /// <summary>The flags of the first processor in /proc/cpuinfo (empty where there is no such file).</summary>
    public static IReadOnlySet<string> CpuFlags(string cpuinfo = "/proc/cpuinfo")
    {
        try
        {
            foreach (string line in File.ReadLines(cpuinfo))
            {
                if (!line.StartsWith("flags", StringComparison.Ordinal)) continue;
                int colon = line.IndexOf(':');
                if (colon < 0) continue;
                return line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return new HashSet<string>();
    }

    /// <summary>
    /// Sets OPENBLAS_CORETYPE in the native environment (where OpenBLAS reads it) unless it is
    /// set already; returns the value in force. .NET's Environment.SetEnvironmentVariable only
    /// changes the managed copy on Linux, so this goes through libc's setenv; child processes
    /// started afterwards (the PyTorch peer) inherit it too.
    /// </summary>
    public static string? Apply()
    {
        string? own = Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE");
        if (!string.IsNullOrEmpty(own)) return own;
        if (!OperatingSystem.IsLinux()) return null;
        string? chosen = ForFlags(CpuFlags());
        if (chosen is null) return null;
        if (SetEnv("OPENBLAS_CORETYPE", chosen, 0) != 0) return null;
        Environment.SetEnvironmentVariable("OPENBLAS_CORETYPE", chosen);
        return chosen;
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
