namespace Crane.Data;

/// <summary>A list of (user, item) pairs in internal 0-based ids, as two parallel arrays.</summary>
public sealed class Interactions
{
    /// <summary>User of each pair.</summary>
    public int[] Users { get; }

    /// <summary>Item of each pair.</summary>
    public int[] Items { get; }

    /// <summary>Number of pairs.</summary>
    public int Count => Users.Length;

    /// <summary>Wraps the arrays (no copy); they must have the same length.</summary>
    public Interactions(int[] users, int[] items)
    {
        if (users.Length != items.Length)
            throw new ArgumentException($"Users ({users.Length}) and items ({items.Length}) differ in length.");
        Users = users;
        Items = items;
    }

    /// <summary>No pairs.</summary>
    public static Interactions Empty { get; } = new([], []);
}
