using Crane.Numerics;

namespace Crane.Data;

/// <summary>
/// Interactions split into train / valid / test, plus named item modalities (row i = item i).
/// Ids are internal and contiguous: users 0..UserCount−1, items 0..ItemCount−1.
/// </summary>
public sealed class Dataset
{
    CsrMatrix? _trainMatrix;

    /// <summary>A short name (the folder name, e.g. "baby").</summary>
    public required string Name { get; init; }

    /// <summary>M: max user id + 1 over all splits.</summary>
    public required int UserCount { get; init; }

    /// <summary>N: max item id + 1 over all splits.</summary>
    public required int ItemCount { get; init; }

    /// <summary>Training interactions (x_label 0).</summary>
    public required Interactions Train { get; init; }

    /// <summary>Validation interactions (x_label 1).</summary>
    public required Interactions Valid { get; init; }

    /// <summary>Test interactions (x_label 2).</summary>
    public required Interactions Test { get; init; }

    /// <summary>Item feature tables by modality name ("image", "text", "audio", …); each ItemCount × D.</summary>
    public IReadOnlyDictionary<string, Tensor> Modalities { get; init; } = new Dictionary<string, Tensor>();

    /// <summary>
    /// Each item's text (row i = item i; empty for an item without one) when the folder has an
    /// <c>item_text.tsv</c> (<see cref="ItemTextFile"/>), else null.
    /// </summary>
    public IReadOnlyList<string>? ItemText { get; init; }

    /// <summary>Raw user ids (identity when the files use internal ids).</summary>
    public required IdMap UserIds { get; init; }

    /// <summary>Raw item ids (identity when the files use internal ids).</summary>
    public required IdMap ItemIds { get; init; }

    /// <summary>Files the dataset was read from (for the run manifest's checksums).</summary>
    public IReadOnlyList<string> SourceFiles { get; init; } = [];

    /// <summary>The binary user × item training matrix R (built once, on first use).</summary>
    public CsrMatrix TrainMatrix => _trainMatrix ??= CsrMatrix.FromCoo(UserCount, ItemCount,
        Train.Users, Train.Items, Enumerable.Repeat(1f, Train.Count).ToArray());

    /// <summary>The interactions of a split.</summary>
    public Interactions this[Split split] => split switch
    {
        Split.Train => Train,
        Split.Valid => Valid,
        Split.Test => Test,
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, null),
    };
}

/// <summary>The three parts of a dataset (MMRec's x_label 0, 1, 2).</summary>
public enum Split
{
    /// <summary>x_label 0.</summary>
    Train = 0,

    /// <summary>x_label 1.</summary>
    Valid = 1,

    /// <summary>x_label 2.</summary>
    Test = 2,
}
