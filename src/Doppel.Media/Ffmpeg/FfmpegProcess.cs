using System.ComponentModel;
using System.Diagnostics;

namespace Doppel.Media.Ffmpeg;

/// <summary>
/// A running ffmpeg or ffprobe: arguments passed as a list (no shell quoting), stdin and stdout
/// as raw streams, stderr drained in the background into a <see cref="StderrTail"/>.
/// Disposing kills a process that is still running, so an abandoned reader or writer does
/// not leave ffmpeg behind.
/// </summary>
internal sealed class FfmpegProcess : IDisposable
{
    private readonly Process _process;
    private readonly StderrTail _stderr = new();

    private FfmpegProcess(Process process) => _process = process;

    public FfmpegTool Tool { get; private init; } = FfmpegTool.Ffmpeg;

    /// <param name="keepStdinOpen">True when frames will be written to <see cref="Input"/>; otherwise stdin
    /// is closed at once so the tool can never wait on a terminal.</param>
    public static FfmpegProcess Start(FfmpegTool tool, IEnumerable<string> arguments, bool keepStdinOpen = false)
    {
        var info = new ProcessStartInfo(tool.Executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        var process = new Process { StartInfo = info };
        var result = new FfmpegProcess(process) { Tool = tool };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) result._stderr.Add(e.Data); };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw FfmpegErrors.NotInstalled(tool, e);
        }
        process.BeginErrorReadLine();
        if (!keepStdinOpen) process.StandardInput.Close();
        return result;
    }

    public Stream Output => _process.StandardOutput.BaseStream;

    public Stream Input => _process.StandardInput.BaseStream;

    public string? LastErrorLine => _stderr.LastMeaningfulLine;

    /// <summary>How many lines ffmpeg wrote to stderr; run with -loglevel error, each is an error.</summary>
    public int ErrorLineCount => _stderr.LineCount;

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for exit and for the stderr reader to reach end of stream, then returns the exit code.</summary>
    public int WaitForExit()
    {
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void CloseInput()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // ffmpeg already exited and closed its end; its exit code says why.
        }
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
