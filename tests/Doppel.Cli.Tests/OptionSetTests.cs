using Doppel.Cli.Options;
using Doppel.Core;

namespace Doppel.Cli.Tests;

public sealed class OptionSetTests
{
    private readonly OptionSet set = new("train", maxPositionals: 1);
    private readonly Option<int> steps;
    private readonly Option<double> rate;
    private readonly Option<string> model;
    private readonly Option<string?> output;
    private readonly Option<bool> verbose;

    public OptionSetTests()
    {
        steps = set.Int("steps", 100, "training steps", min: 1);
        rate = set.Double("lr", 5e-5, "learning rate");
        model = set.Choice("model", "original", ["original", "dfaker"], "model family");
        output = set.OptionalString("out", "output folder", "path");
        verbose = set.Flag("verbose", "print more");
    }

    [Fact]
    public void Defaults_apply_when_nothing_is_given()
    {
        ParsedOptions p = set.Parse([]);
        Assert.Equal(100, p.Get(steps));
        Assert.Equal(5e-5, p.Get(rate));
        Assert.Equal("original", p.Get(model));
        Assert.Null(p.Get(output));
        Assert.False(p.Get(verbose));
        Assert.False(p.WasGiven(steps));
        Assert.Empty(p.Positionals);
    }

    [Fact]
    public void A_float_default_reads_and_shows_as_it_was_written()
    {
        Assert.Equal(0.0005, OptionSet.FromSingle(5e-4f));
        Assert.NotEqual(0.0005, (double)5e-4f); // what a plain widening would show in --help
        var lr = new OptionSet("t").Double("lr", OptionSet.FromSingle(5e-4f), "learning rate");
        Assert.Equal("0.0005", lr.DefaultText);
    }

    [Theory]
    [InlineData("-o", "/tmp/a")]
    [InlineData("-o=/tmp/a", null)]
    public void Short_alias_stands_for_its_option_and_shows_in_help(string first, string? second)
    {
        set.ShortAlias('o', output);
        ParsedOptions p = set.Parse(second is null ? [first] : [first, second]);
        Assert.Equal("/tmp/a", p.Get(output));
        Assert.Contains("-o, --out <path>", set.Describe());
    }

    [Fact]
    public void Undeclared_short_alias_is_an_unknown_option()
    {
        var e = Assert.Throws<DoppelException>(() => set.Parse(["-o", "/tmp/a"]));
        Assert.Contains("unknown option '-o'", e.Message);
    }

    [Fact]
    public void Space_and_equals_forms_both_parse()
    {
        ParsedOptions p = set.Parse(["--steps", "5", "--lr=0.25", "--model", "dfaker", "--out=/tmp/x", "--verbose", "faces"]);
        Assert.Equal(5, p.Get(steps));
        Assert.Equal(0.25, p.Get(rate));
        Assert.Equal("dfaker", p.Get(model));
        Assert.Equal("/tmp/x", p.Get(output));
        Assert.True(p.Get(verbose));
        Assert.True(p.WasGiven(steps));
        Assert.Equal(new[] { "faces" }, p.Positionals);
    }

    [Fact]
    public void Repeated_option_gathers_every_value_in_order()
    {
        var s = new OptionSet("sign", maxPositionals: 1);
        Option<IReadOnlyList<string>> inputs = s.Repeated("input", "an input file", "file");
        Assert.Empty(s.Parse([]).Get(inputs));
        ParsedOptions p = s.Parse(["--input", "a.onnx", "x.png", "--input=b.bin"]);
        Assert.Equal(["a.onnx", "b.bin"], p.Get(inputs));
        Assert.Equal(["x.png"], p.Positionals);
        Assert.Contains("--input <file>", s.Describe());
        Assert.Contains("(repeatable)", s.Describe());
    }

    [Fact]
    public void Negative_numbers_and_exponents_are_values_not_options()
    {
        var s = new OptionSet("x");
        Option<double> shift = s.Double("shift", 0, "shift");
        Assert.Equal(-1.5, s.Parse(["--shift", "-1.5"]).Get(shift));
        Assert.Equal(1e-4, s.Parse(["--shift", "1e-4"]).Get(shift));
    }

    [Fact]
    public void Flag_accepts_explicit_true_and_false()
    {
        Assert.False(set.Parse(["--verbose=false"]).Get(verbose));
        Assert.True(set.Parse(["--verbose=true"]).Get(verbose));
    }

    [Fact]
    public void Double_dash_ends_options()
    {
        ParsedOptions p = set.Parse(["--", "--steps"]);
        Assert.Equal(new[] { "--steps" }, p.Positionals);
        Assert.Equal(100, p.Get(steps));
    }

    [Theory]
    [InlineData("--stpes", "unknown option '--stpes'")]
    [InlineData("-x", "unknown option '-x'")]
    [InlineData("--stpes=3", "unknown option '--stpes'")]
    public void Unknown_option_names_the_argument(string arg, string expected)
    {
        var e = Assert.Throws<DoppelException>(() => set.Parse([arg]));
        Assert.Contains(expected, e.Message);
        Assert.Contains("doppel train --help", e.Hint);
    }

    [Theory]
    [InlineData("--steps")]
    [InlineData("--steps --verbose")]
    public void Missing_value_names_the_option(string commandLine)
    {
        var e = Assert.Throws<DoppelException>(() => set.Parse(commandLine.Split(' ')));
        Assert.Contains("option '--steps' needs a value", e.Message);
        Assert.Contains("--help", e.Hint);
    }

    [Theory]
    [InlineData("--steps", "abc", "expects a whole number")]
    [InlineData("--steps", "1.5", "expects a whole number")]
    [InlineData("--steps", "0", "must be at least 1")]
    [InlineData("--lr", "fast", "expects a number")]
    [InlineData("--lr", "NaN", "expects a number")]
    [InlineData("--model", "gan", "expects one of original, dfaker")]
    public void Malformed_value_names_option_and_value(string option, string value, string reason)
    {
        var e = Assert.Throws<DoppelException>(() => set.Parse([option, value]));
        Assert.Contains($"bad value '{value}' for option '{option}'", e.Message);
        Assert.Contains(reason, e.Message);
        Assert.Contains("--help", e.Hint);
    }

    [Fact]
    public void Flag_with_a_bad_value_is_rejected()
    {
        var e = Assert.Throws<DoppelException>(() => set.Parse(["--verbose=yes"]));
        Assert.Contains("'--verbose'", e.Message);
    }

    [Fact]
    public void Too_many_positionals_name_the_extra_argument()
    {
        var e = Assert.Throws<DoppelException>(() => set.Parse(["a", "b"]));
        Assert.Contains("'b'", e.Message);

        var none = new OptionSet("info");
        var e2 = Assert.Throws<DoppelException>(() => none.Parse(["extra"]));
        Assert.Contains("takes no arguments", e2.Message);
    }

    [Fact]
    public void Describe_lists_every_option_with_its_default()
    {
        string text = set.Describe();
        foreach (Option o in set.All) Assert.Contains(o.Spelling, text);
        Assert.Contains("--steps <int>", text);
        Assert.Contains("(default: 100)", text);
        Assert.DoesNotContain("default: False", text);
    }

    [Fact]
    public void Declaring_an_option_twice_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => set.Int("steps", 1, "again"));
        Assert.Throws<ArgumentException>(() => set.Flag("--dashed", "no dashes"));
        Assert.Throws<ArgumentException>(() => set.Flag("help", "reserved"));
    }
}
