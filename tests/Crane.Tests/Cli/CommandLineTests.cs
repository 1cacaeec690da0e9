
namespace Crane.Tests.Cli;

/// <summary>The crane tool run in-process: parsing, messages and exit codes. Joins the Parallelism collection because --threads sets the process-wide thread count.</summary>
[Collection("Parallelism")]
public class CommandLineTests
{
    static (int Code, string Output, string Error) Crane(params string[] args) => CraneTool.Run(args);

    [Fact]
    public void Help_names_the_tool_crane_and_lists_every_verb()
    {
        var (code, output, _) = Crane("--help");

        Assert.Equal(0, code);
        Assert.Contains("crane [command] [options]", output);
        foreach (var verb in new[] { "demo", "prepare", "train", "evaluate", "recommend", "experiment", "tsne" })
            Assert.Matches($@"\n\s+{verb}\s+\S", output);
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("recommend")]
    [InlineData("prepare")]
    public void Each_verb_has_help(string verb)
    {
        var (code, output, _) = Crane(verb, "--help");

        Assert.Equal(0, code);
        Assert.Contains($"crane {verb} [options]", output);
        Assert.Contains("(REQUIRED)", output);
    }

    [Fact]
    public void A_missing_required_option_is_a_usage_error()
    {
        var (code, _, error) = Crane("recommend", "--user", "u1");

        Assert.Equal(2, code); // bad input, as every other
        Assert.Contains("error: Option '--model-file' is required.", error);
        Assert.Contains("See 'crane recommend --help'.", error);
        Assert.Equal(2, Crane("train", "--no-such-option").Code);
        // train needs --model and --data unless it resumes a run
        (code, _, error) = Crane("train", "--model", "bpr");
        Assert.Equal(2, code);
        Assert.Contains("Give --model and --data (or --resume <run folder>", error);
        (code, _, error) = Crane("train", "--resume", "runs/x", "--epochs", "3");
        Assert.Equal(2, code);
        Assert.Contains("--resume takes the run's own settings from its config.json; drop --epochs", error);
    }

    [Theory]
    [InlineData("--set", "reg_weight", "Setting 'reg_weight' is not of the form key=value")]
    [InlineData("--modality", "audio", "--modality 'audio' is not of the form name=file")]
    [InlineData("--lr", "0", "learning rate must be a positive number")]
    [InlineData("--patience", "0", "Patience must be at least 1")]
    [InlineData("--threads", "0", "Thread count must be at least 1")]
    public void Bad_training_arguments_exit_with_code_2_and_say_why(string option, string value, string message)
    {
        var (code, _, error) = Crane("train", "--model", "bpr", "--data", "nowhere", option, value);

        Assert.Equal(2, code);
        Assert.StartsWith("error: ", error);
        Assert.Contains(message, error);
    }

    [Fact]
    public void A_modality_named_twice_is_refused()
    {
        var (code, _, error) = Crane("train", "-m", "bpr", "-d", "nowhere", "--modality", "image=a.npy", "--modality", "image=b.npy");

        Assert.Equal(2, code);
        Assert.Contains("names 'image' twice", error);
    }

    [Fact]
    public void Out_of_range_counts_exit_with_code_2()
    {
        Assert.Equal(2, Crane("recommend", "--model-file", "m.crane", "--user", "u1", "--k", "0").Code);
        Assert.Equal(2, Crane("prepare", "--input", "raw.csv", "--out", "data", "--kcore", "-1").Code);
    }

    [Fact]
    public void Choices_are_checked_by_the_parser()
    {
        var (code, _, error) = Crane("recommend", "--model-file", "m.crane", "--user", "u1", "--fallback", "random");

        Assert.Equal(2, code);
        Assert.Contains("random", error);
    }

    [Fact]
    public void An_unknown_model_exits_with_code_2_and_lists_the_models()
    {
        var (code, _, error) = Crane("train", "--model", "no-such-model", "--data", "nowhere");

        Assert.Equal(2, code);
        Assert.Contains("Unknown model 'no-such-model'", error);
        foreach (var name in global::Crane.Models.ModelCatalog.Names) Assert.Contains(name, error);
    }

    [Fact]
    public void Argument_errors_reach_the_user_without_dotnet_wording()
    {
        var (code, _, error) = Crane("train", "--model", "bpr", "--data", "nowhere", "--threads", "0");
        Assert.Equal(2, code);
        Assert.Contains("Thread count must be at least 1.", error);
        Assert.DoesNotContain("(Parameter", error);
        Assert.DoesNotContain("Actual value", error);
    }
}
