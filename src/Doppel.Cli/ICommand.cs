using Doppel.Cli.Options;

namespace Doppel.Cli;

/// <summary>
/// One verb of the doppel tool. A new verb is one class implementing this plus one line in
/// <see cref="CommandRegistry.CreateDefault"/>. Commands write their output to <see cref="Console"/>
/// and signal expected failures by throwing <see cref="Doppel.Core.DoppelException"/>; the
/// <see cref="CliApp"/> turns exceptions into messages and exit codes.
/// </summary>
public interface ICommand
{
    /// <summary>The verb as typed on the command line, e.g. "info".</summary>
    string Name { get; }

    /// <summary>One line for the command list in <c>doppel --help</c>.</summary>
    string Summary { get; }

    /// <summary>
    /// The complete help text shown by <c>doppel help NAME</c> and <c>doppel NAME --help</c>:
    /// usage line, description and every option (tests check that each declared option appears).
    /// </summary>
    string Usage { get; }

    /// <summary>Every option <see cref="Run"/> accepts; empty for commands that take none.</summary>
    OptionSet Options { get; }

    /// <summary>Runs the verb with the arguments after its name; returns the process exit code.</summary>
    int Run(string[] args);
}
