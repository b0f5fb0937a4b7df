using Doppel.Cli.Options;

namespace Doppel.Cli.Tests;

/// <summary>Every registered command documents itself completely; a new command gets these checks for free.</summary>
public sealed class CommandHelpTests
{
    public static TheoryData<string> CommandNames()
    {
        var data = new TheoryData<string>();
        foreach (string name in CommandRegistry.CreateDefault().Names) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(CommandNames))]
    public void Help_is_complete(string name)
    {
        ICommand command = CommandRegistry.CreateDefault().Create(name);
        Assert.Equal(name, command.Name);
        Assert.False(string.IsNullOrWhiteSpace(command.Summary));
        Assert.False(string.IsNullOrWhiteSpace(command.Usage));
        Assert.StartsWith($"usage: doppel {name}", command.Usage);
        foreach (Option option in command.Options.All)
            Assert.Contains(option.Spelling, command.Usage);
    }

    [Fact]
    public void Registry_has_the_promised_commands()
    {
        IReadOnlyList<string> names = CommandRegistry.CreateDefault().Names;
        Assert.Contains("help", names);
        Assert.Contains("version", names);
        Assert.Contains("info", names);
        Assert.Contains("demo", names);
    }

    [Fact]
    public void Registering_a_name_twice_fails()
    {
        var registry = new CommandRegistry();
        registry.Add("x", () => throw new NotSupportedException());
        Assert.Throws<ArgumentException>(() => registry.Add("x", () => throw new NotSupportedException()));
    }

    [Theory]
    [InlineData("ifno", "info")]
    [InlineData("dmeo", "demo")]
    [InlineData("verison", "version")]
    [InlineData("convert-everything", null)]
    public void Typos_get_a_suggestion(string typed, string? expected) =>
        Assert.Equal(expected, CommandRegistry.CreateDefault().Suggest(typed));
}
