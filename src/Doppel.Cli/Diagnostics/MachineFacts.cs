using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Doppel.Tensors.Kernels;

namespace Doppel.Cli.Diagnostics;

/// <summary>
/// Probes for the facts a bug report needs: OS, CPU, runtime, native libraries and tools.
/// Every probe degrades to a readable "not found ..." instead of throwing, because 'doppel info'
/// is what people run precisely when something is broken.
/// </summary>
public static class MachineFacts
{
    public static string OperatingSystem()
    {
        string? pretty = ReadKeyValue("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"');
        return $"{pretty ?? RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture}, kernel {Environment.OSVersion.Version})";
    }

    public static string Cpu()
    {
        string model = ReadKeyValue("/proc/cpuinfo", "model name", ':') ?? "unknown CPU";
        return $"{model}, {Environment.ProcessorCount} logical cores available";
    }

    public static string Memory()
    {
        string? total = ReadKeyValue("/proc/meminfo", "MemTotal", ':');
        if (total is null) return "unknown";
        string kb = total.Replace("kB", "", StringComparison.Ordinal).Trim();
        return long.TryParse(kb, out long v) ? Bytes.Format(v * 1024) : total;
    }

    /// <summary>Which SIMD widths the JIT will use; the tensor kernels pick their paths from these.</summary>
    public static string Simd()
    {
        var parts = new List<string>();
        if (Vector128.IsHardwareAccelerated) parts.Add("Vector128");
        if (Vector256.IsHardwareAccelerated) parts.Add("Vector256");
        if (Vector512.IsHardwareAccelerated) parts.Add("Vector512");
        if (Avx2.IsSupported) parts.Add("AVX2");
        if (Fma.IsSupported) parts.Add("FMA");
        if (Avx512F.IsSupported) parts.Add("AVX-512F");
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    public static string Runtime() =>
        $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier}), GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}";

    /// <summary>Whether libopenblas.so.0 loads and exports cblas_sgemm, plus its build configuration when it does.</summary>
    public static unsafe string OpenBlas()
    {
        // Before the first load: OpenBLAS reads OPENBLAS_CORETYPE only then.
        OpenBlasCoreType.Apply();
        if (!NativeLibrary.TryLoad("libopenblas.so.0", out IntPtr handle))
            return "not found (libopenblas.so.0 does not load; matrix multiply falls back to managed code; apt-get install libopenblas0-pthread)";
        try
        {
            if (!NativeLibrary.TryGetExport(handle, "cblas_sgemm", out _))
                return "loads, but has no cblas_sgemm export";
            // char* openblas_get_config(void) and openblas_get_corename(void): static strings owned by the library.
            string? config = StaticString(handle, "openblas_get_config");
            string? core = StaticString(handle, "openblas_get_corename");
            string coreNote = core is null ? "" : $", kernels {core}";
            return string.IsNullOrWhiteSpace(config) ? $"loads{coreNote}" : $"loads ({config.Trim()}{coreNote})";
        }
        finally
        {
            NativeLibrary.Free(handle);
        }
    }

    private static unsafe string? StaticString(IntPtr library, string export) =>
        NativeLibrary.TryGetExport(library, export, out IntPtr function)
            ? Marshal.PtrToStringUTF8(((delegate* unmanaged<IntPtr>)function)())
            : null;

    /// <summary>The first line of 'ffmpeg -version', or why there is none.</summary>
    public static string FfmpegVersion()
    {
        try
        {
            var start = new ProcessStartInfo("ffmpeg", "-hide_banner -version")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            using Process process = Process.Start(start)!;
            process.StandardInput.Close();
            // Read asynchronously so a chatty stderr cannot fill its pipe and block the child.
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill(entireProcessTree: true);
                return "ffmpeg did not answer within 10 s";
            }
            string first = stdout.Result.Split('\n', 2)[0].Trim();
            _ = stderr.Result;
            return first.Length > 0 ? first : $"ffmpeg exited with {process.ExitCode} and printed no version";
        }
        catch (Win32Exception)
        {
            return "not found (apt-get install ffmpeg)";
        }
    }

    /// <summary>Total size and file count of a directory tree, or a note when it does not exist.</summary>
    public static string DirectorySize(string path)
    {
        if (!Directory.Exists(path)) return "does not exist yet";
        long bytes = 0, files = 0;
        var walk = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.ReparsePoint, // do not count what symlinks point at
        };
        foreach (FileInfo f in new DirectoryInfo(path).EnumerateFiles("*", walk))
        {
            bytes += f.Length;
            files++;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{Bytes.Format(bytes)} in {files} files");
    }

    private static string? ReadKeyValue(string file, string key, char separator)
    {
        try
        {
            foreach (string line in File.ReadLines(file))
            {
                int at = line.IndexOf(separator);
                if (at > 0 && line[..at].Trim() == key) return line[(at + 1)..].Trim();
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
