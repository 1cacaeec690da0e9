namespace Crane.Models;

/// <summary>Range checks of model settings, with messages that name the setting.</summary>
internal static class ModelChecks
{
    public static void Positive(string key, int value)
    {
        if (value < 1) throw new ArgumentException($"Setting {key}={value} must be at least 1.");
    }

    public static void NonNegative(string key, int value)
    {
        if (value < 0) throw new ArgumentException($"Setting {key}={value} must not be negative.");
    }

    public static void NonNegative(string key, float value)
    {
        if (!(value >= 0f) || float.IsInfinity(value)) throw new ArgumentException($"Setting {key}={value} must be a finite number ≥ 0.");
    }

    public static void Positive(string key, float value)
    {
        if (!(value > 0f) || float.IsInfinity(value)) throw new ArgumentException($"Setting {key}={value} must be a finite number > 0.");
    }
}
