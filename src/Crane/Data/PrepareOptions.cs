namespace Crane.Data;

/// <summary>Inputs and options of <see cref="DatasetPreparer.Prepare"/> (docs/data-format.md, "prepare").</summary>
public sealed record PrepareOptions
{
    /// <summary>Raw interactions: CSV or TSV with a header row; raw string ids.</summary>
    public required string InteractionsFile { get; init; }

    /// <summary>Dataset name (the .inter file's name); default: the interactions file's name without extension.</summary>
    public string? Name { get; init; }

    /// <summary>Field delimiter; null sniffs it from the header (tab if it holds one, else comma).</summary>
    public char? Delimiter { get; init; }

    /// <summary>Column holding the raw user id.</summary>
    public string UserColumn { get; init; } = "user_id";

    /// <summary>Column holding the raw item id.</summary>
    public string ItemColumn { get; init; } = "item_id";

    /// <summary>Column holding the rating; only read when <see cref="MinRating"/> is set.</summary>
    public string RatingColumn { get; init; } = "rating";

    /// <summary>Column holding the timestamp; accepted for documentation, unused (MMRec's split is a seeded shuffle, not by time).</summary>
    public string TimestampColumn { get; init; } = "timestamp";

    /// <summary>Keep only rows with rating ≥ this value (null keeps every row).</summary>
    public float? MinRating { get; init; }

    /// <summary>k-core: drop users and items with fewer than k interactions, repeated until stable (0 or 1: no filter; Amazon sets use 5).</summary>
    public int KCore { get; init; }

    /// <summary>Item features by modality name → CSV/TSV file: header row, first column the raw item id, then one float per column.</summary>
    public IReadOnlyDictionary<string, string> FeatureFiles { get; init; } = new Dictionary<string, string>();

    /// <summary>Drop items that some feature file lacks (before the k-core filter) instead of failing.</summary>
    public bool DropItemsWithoutFeatures { get; init; }

    /// <summary>Seed of the split's shuffle (protocol.md default 999).</summary>
    public ulong Seed { get; init; } = 999;
}

/// <summary>The prepared dataset and a line per step (rows read, duplicates, filters) for the user.</summary>
public sealed record PrepareResult(Dataset Dataset, IReadOnlyList<string> Notes);
