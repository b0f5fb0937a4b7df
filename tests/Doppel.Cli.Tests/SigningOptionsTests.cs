namespace Doppel.Cli.Tests;

/// <summary>--key, --cert and --no-sign mean the same on every command that writes synthetic media, and are checked before any work.</summary>
[Collection("Console")]
public class SigningOptionsTests
{
    [Theory]
    [InlineData("convert", "in.mp4", "--model", "m", "-o", "out.mp4")]
    [InlineData("train", "--a", "a", "--b", "b", "-o", "m")]
    [InlineData("demo", "--out", "d")]
    public void NoSignWithAKeyIsAContradiction_AndAKeyNeedsItsCertificate(params string[] command)
    {
        var (code, _, error) = ConsoleCapture.Run([.. command, "--no-sign", "--key", "k.pem", "--cert", "c.pem"]);
        Assert.Equal(CliApp.ExitExpectedError, code);
        Assert.Contains("contradict", error);

        (code, _, error) = ConsoleCapture.Run([.. command, "--key", "k.pem"]);
        Assert.Equal(CliApp.ExitExpectedError, code);
        Assert.Contains("--key and --cert go together", error);
    }

    [Theory]
    [InlineData("convert")]
    [InlineData("train")]
    [InlineData("demo")]
    public void EveryCommandThatSynthesisesOffersNoSignAndAKey(string command)
    {
        var (code, output, _) = ConsoleCapture.Run(command, "--help");
        Assert.Equal(CliApp.ExitOk, code);
        Assert.Contains("--no-sign", output);
        Assert.Contains("--key", output);
        Assert.Contains("--cert", output);
    }
}
