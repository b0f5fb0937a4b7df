using System.Runtime.InteropServices;

namespace Doppel.Cli;

/// <summary>
/// Turns the first Ctrl-C or SIGTERM into a clean stop: the token is cancelled and the long job
/// finishes its current frame or iteration, saves and exits. A second Ctrl-C is let through, so
/// an impatient user can still kill the process.
/// </summary>
public sealed class StopRequest : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration _onInt, _onTerm;
    private readonly string? _message;

    /// <param name="message">Printed to stderr on the first signal (what will happen now), or null.</param>
    public StopRequest(string? message = null)
    {
        _message = message;
        _onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Token => _cancel.Token;

    private void OnSignal(PosixSignalContext ctx)
    {
        if (_cancel.IsCancellationRequested && ctx.Signal == PosixSignal.SIGINT) return;
        ctx.Cancel = true;
        if (!_cancel.IsCancellationRequested && _message is not null) Console.Error.WriteLine("\n" + _message);
        _cancel.Cancel();
    }

    public void Dispose()
    {
        _onInt.Dispose();
        _onTerm.Dispose();
        _cancel.Dispose();
    }
}
