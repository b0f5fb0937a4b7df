using Doppel.Cli.Options;
using Doppel.Core;

namespace Doppel.Cli.Tests;

/// <summary>The entry point in-process: output streams and exit codes for success, expected errors and crashes.</summary>
[Collection("Console")]
public sealed class CliAppTests
{
    [Fact]
    public void Version_prints_one_line_and_exits_0()
    {
        using var console = new ConsoleCapture();
        Assert.Equal(0, Program.Main(["--version"]));
        Assert.StartsWith("doppel ", console.Out);
        Assert.Equal(console.Out, Capture(() => Program.Main(["version"])).Out);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public void Global_help_lists_every_command(string commandLine)
    {
        var (code, output, error) = Capture(() => Program.Main(Args(commandLine)));
        Assert.Equal(0, code);
        Assert.Empty(error);
        foreach (string name in CommandRegistry.CreateDefault().Names) Assert.Contains($"  {name} ", output);
    }

    [Theory]
    [InlineData("help", "info")]
    [InlineData("info", "--help")]
    [InlineData("info", "-h")]
    public void Command_help_prints_its_usage(string first, string second)
    {
        var (code, output, _) = Capture(() => Program.Main([first, second]));
        Assert.Equal(0, code);
        Assert.StartsWith("usage: doppel info", output);
        Assert.Contains("--no-cache-size", output);
    }

    [Theory]
    [InlineData("nosuchcommand", "error: unknown command 'nosuchcommand'")]
    [InlineData("ifno", "(did you mean 'info'?)")]
    [InlineData("--verbose", "error: unknown option '--verbose'")]
    [InlineData("info --bogus", "error: unknown option '--bogus' for 'doppel info'")]
    [InlineData("info extra", "error: 'doppel info' takes no arguments, but got 'extra'")]
    [InlineData("help nosuchcommand", "error: no help for unknown command")]
    [InlineData("demo --minutes 0", "error: bad value '0' for option '--minutes'")]
    public void Expected_errors_print_message_and_hint_and_exit_1(string commandLine, string expected)
    {
        var (code, output, error) = Capture(() => Program.Main(Args(commandLine)));
        Assert.Equal(1, code);
        Assert.Empty(output);
        string[] lines = Lines(error);
        Assert.Equal(2, lines.Length);
        Assert.Contains(expected, lines[0]);
        Assert.StartsWith("hint: ", lines[1]);
    }

    [Fact]
    public void Expected_error_without_hint_prints_one_line()
    {
        var (code, _, error) = Capture(() => App(new ThrowingCommand(new DoppelException("no hint here")), "/nonexistent").Run(["throw"]));
        Assert.Equal(1, code);
        Assert.Equal("error: no hint here", Assert.Single(Lines(error)));
    }

    [Fact]
    public void Unexpected_exception_writes_a_crash_log_and_exits_70()
    {
        string logs = Path.Combine(Path.GetTempPath(), "doppel-cli-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            var boom = new InvalidOperationException("boom\nsecond line", new FormatException("inner cause"));
            var (code, output, error) = Capture(() => App(new ThrowingCommand(boom), logs).Run(["throw", "--flag"]));

            Assert.Equal(CliApp.ExitInternalError, code);
            Assert.Empty(output);
            string line = Assert.Single(Lines(error));
            Assert.StartsWith("internal error: boom second line (crash report: ", line);
            string path = line[(line.IndexOf("crash report: ", StringComparison.Ordinal) + "crash report: ".Length)..^1];
            Assert.Equal(logs, Path.GetDirectoryName(path));
            string report = File.ReadAllText(path);
            Assert.Contains("doppel throw --flag", report);
            Assert.Contains("System.InvalidOperationException: boom", report);
            Assert.Contains("inner cause", report);
        }
        finally
        {
            if (Directory.Exists(logs)) Directory.Delete(logs, recursive: true);
        }
    }

    [Fact]
    public void Crash_log_failure_still_reports_the_crash()
    {
        string notADirectory = Path.GetTempFileName();
        try
        {
            var (code, _, error) = Capture(() => App(new ThrowingCommand(new InvalidOperationException("boom")), notADirectory).Run(["throw"]));
            Assert.Equal(CliApp.ExitInternalError, code);
            Assert.StartsWith("internal error: boom (crash report could not be written: ", Assert.Single(Lines(error)));
        }
        finally
        {
            File.Delete(notADirectory);
        }
    }

    [Fact]
    public void Info_runs_and_reports_the_cache()
    {
        var (code, output, error) = Capture(() => Program.Main(["info", "--no-cache-size"]));
        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains("openblas:", output);
        Assert.Contains("cache:", output);
        Assert.DoesNotContain("cache size:", output);
    }

    private static (int Code, string Out, string Error) Capture(Func<int> run)
    {
        using var console = new ConsoleCapture();
        int code = run();
        return (code, console.Out, console.Error);
    }

    private static string[] Args(string commandLine) => commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // Built inside Capture so the app's error writer is the captured Console.Error.
    private static CliApp App(ICommand command, string logs) =>
        new(new CommandRegistry().Add(command.Name, () => command), Console.Error, () => logs);

    private sealed class ThrowingCommand(Exception exception) : ICommand
    {
        public string Name => "throw";
        public string Summary => "throws";
        public string Usage => "usage: doppel throw";
        public OptionSet Options { get; } = new("throw");
        public int Run(string[] args) => throw exception;
    }
}
