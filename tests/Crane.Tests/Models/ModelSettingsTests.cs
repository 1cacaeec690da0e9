using Crane.Models;
using Crane.Tests.Autograd;

namespace Crane.Tests.Models;

/// <summary>The range-checked readers: accepted at each bound, rejected just outside with the key, value and range named.</summary>
public class ModelSettingsTests
{
    static ModelSettings Given(string key, string value) => ModelSettings.Parse([$"{key}={value}"]);

    [Theory]
    [InlineData("1", 1)]
    [InlineData("64", 64)]
    public void A_bounded_int_is_accepted_from_its_bound_and_resolved(string text, int expected)
    {
        var settings = Given("hyper_num", text);
        Assert.Equal(expected, settings.Int("hyper_num", 4, min: 1));
        Assert.Equal(text, settings.Resolved["hyper_num"]);
    }

    [Theory]
    [InlineData("0", 1, int.MaxValue, "hyper_num=0 must be at least 1")]
    [InlineData("-1", 0, int.MaxValue, "hyper_num=-1 must be at least 0")]
    [InlineData("11", int.MinValue, 10, "hyper_num=11 must be at most 10")]
    [InlineData("11", 1, 10, "hyper_num=11 must be in [1, 10]")]
    [InlineData("0", 1, 10, "hyper_num=0 must be in [1, 10]")]
    public void An_int_just_outside_is_rejected_naming_key_value_and_range(string text, int min, int max, string message) =>
        Reference.AssertRejected<ArgumentException>(() => Given("hyper_num", text).Int("hyper_num", 4, min, max), message);

    [Fact]
    public void Ints_at_both_ends_of_a_closed_range_are_accepted()
    {
        Assert.Equal(1, Given("k", "1").Int("k", 5, min: 1, max: 10));
        Assert.Equal(10, Given("k", "10").Int("k", 5, min: 1, max: 10));
    }

    [Fact]
    public void An_out_of_range_default_is_rejected_too() =>
        Reference.AssertRejected<ArgumentException>(() => new ModelSettings().Int("n_layers", -1, min: 0), "n_layers=-1");

    /// <summary>Each float range with a value on its bounds (accepted when the bound is inclusive) and the nearest floats outside.</summary>
    public static TheoryData<string, float?, float?, float?, float?, string[], string[], string> FloatRanges => new()
    {
        // key, min, above, max, below, accepted, rejected, range as the message gives it
        { "cl_weight", 0f, null, null, null, ["0", "1E-45", "3.4E+38"], ["-1E-45", "-1", "Infinity", "NaN"], "a finite number ≥ 0" },
        { "tau", null, 0f, null, null, ["1E-45", "0.2"], ["0", "-0", "-1", "Infinity", "NaN"], "a finite number > 0" },
        { "keep_rate", null, 0f, 1f, null, ["1E-45", "1"], ["0", "1.0000001", "NaN"], "in (0, 1]" },
        { "dropout", 0f, null, null, 1f, ["0", "0.99999994"], ["-1E-45", "1", "NaN"], "in [0, 1)" },
        { "lambda_coeff", 0f, null, 1f, null, ["0", "1"], ["-1E-45", "1.0000001"], "in [0, 1]" },
        { "shift", null, null, 2f, null, ["2", "-5"], ["2.0000002", "-Infinity"], "a finite number ≤ 2" },
        { "margin", null, null, null, 2f, ["1.9999999", "-5"], ["2", "-Infinity"], "a finite number < 2" },
    };

    [Theory]
    [MemberData(nameof(FloatRanges))]
    public void A_bounded_float_is_accepted_at_its_inclusive_bounds_and_rejected_just_outside(
        string key, float? min, float? above, float? max, float? below, string[] accepted, string[] rejected, string range)
    {
        foreach (var text in accepted)
        {
            var settings = Given(key, text);
            Assert.Equal(float.Parse(text, System.Globalization.CultureInfo.InvariantCulture), settings.Float(key, 0.5f, min, above, max, below));
        }
        foreach (var text in rejected)
        {
            // The message shows the value as parsed (as config.json would), e.g. "-0" for "-0".
            string shown = Convert.ToString(float.Parse(text, System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture)!;
            Reference.AssertRejected<ArgumentException>(() => Given(key, text).Float(key, 0.5f, min, above, max, below), $"Setting {key}={shown} must be {range}.");
        }
    }

    [Fact]
    public void An_unbounded_float_accepts_any_value_as_before()
    {
        Assert.True(float.IsNaN(Given("x", "NaN").Float("x", 1f)));
        Assert.Equal(-1e30f, Given("x", "-1e30").Float("x", 1f));
    }

    [Fact]
    public void Resolved_values_are_the_invariant_text_of_the_value_used()
    {
        var settings = Given("reg_weight", "1e-4");
        settings.Float("reg_weight", 0.1f, min: 0f);
        settings.Float("tau", 0.2f, above: 0f);
        settings.Int("embedding_size", 64, min: 1);
        Assert.Equal(new Dictionary<string, string> { ["embedding_size"] = "64", ["reg_weight"] = "0.0001", ["tau"] = "0.2" }, settings.Resolved);
    }

    [Fact]
    public void A_value_that_does_not_parse_is_named_in_plain_words()
    {
        Reference.AssertRejected<ArgumentException>(() => Given("reg_weight", "abc").Float("reg_weight", 0.1f, min: 0f), "Setting reg_weight=abc is not a number.");
        Reference.AssertRejected<ArgumentException>(() => Given("n_layers", "1.5").Int("n_layers", 2, min: 0), "Setting n_layers=1.5 is not a whole number.");
        Reference.AssertRejected<ArgumentException>(() => Given("n_layers", "99999999999").Int("n_layers", 2, min: 0), "n_layers=99999999999 is out of range for a whole number");
        Reference.AssertRejected<ArgumentException>(() => Given("pre_norm", "yes").Bool("pre_norm", true), "Setting pre_norm=yes is not true or false.");
        Reference.AssertRejected<ArgumentException>(() => Given("words", "all").Text("words", "auto", "auto", "text"), "Setting words=all is not one of auto, text.");
    }

    [Fact]
    public void A_key_given_twice_is_refused_with_both_values() =>
        Reference.AssertRejected<ArgumentException>(() => ModelSettings.Parse(["n_layers=2", "reg_weight=0.1", "n_layers=3"]), "Setting 'n_layers' is given twice (n_layers=2 and n_layers=3)");
}
