using Crane.Training;

namespace Crane.Experiments;

/// <summary>Everything that decides a run, as written to config.json (fully resolved: defaults included).</summary>
/// <param name="Model">The model's name (as given to --model).</param>
/// <param name="Settings">The model's resolved settings (<see cref="Models.ModelSettings.Resolved"/>).</param>
/// <param name="Training">The trainer's options; its seed is the run's seed.</param>
/// <param name="Threads">Kernel worker threads (<see cref="Numerics.Parallelism.Threads"/>).</param>
/// <param name="DataFolder">The dataset folder.</param>
/// <param name="ModalityFiles">Modality files given explicitly (name → file), if any.</param>
public sealed record RunConfig(
    string Model,
    IReadOnlyDictionary<string, string> Settings,
    TrainerOptions Training,
    int Threads,
    string DataFolder,
    IReadOnlyDictionary<string, string>? ModalityFiles = null);
