using System.Numerics.Tensors;
using Crane.Autograd;
using Crane.Numerics;

namespace Crane.Optim;

/// <summary>
/// An exponential moving average of the parameters (Polyak averaging), ā ← β·ā + (1 − β)·θ after
/// every optimiser step, with TensorFlow's warm-up β_t = min(β, (1 + t)/(10 + t)) so that the
/// early average does not cling to the initialisation. Models whose shared weights (one matrix
/// moving every item at once) swing from one Adam step to the next are evaluated and saved with
/// the average, which follows the same trajectory without its last steps' noise.
/// </summary>
public sealed class ParameterAverage
{
    readonly Variable[] _parameters;
    readonly Tensor[] _average;
    readonly float _decay;
    int _steps;

    /// <summary>Starts the average at the parameters' current values.</summary>
    public ParameterAverage(IEnumerable<Variable> parameters, float decay)
    {
        if (!(decay > 0f && decay < 1f)) throw new ArgumentOutOfRangeException(nameof(decay), decay, "The averaging decay must be in (0, 1).");
        _parameters = parameters.ToArray();
        _average = _parameters.Select(p => p.Value.Clone()).ToArray();
        _decay = decay;
    }

    /// <summary>ā, one per parameter (for checkpoints).</summary>
    internal Tensor[] Averages => _average;

    /// <summary>Updates so far (for checkpoints).</summary>
    internal int Steps { get => _steps; set => _steps = value; }

    /// <summary>β of the next update.</summary>
    public float NextDecay => MathF.Min(_decay, (1f + _steps + 1) / (10f + _steps + 1));

    /// <summary>Folds the parameters' current values into the average (after an optimiser step).</summary>
    public void Update()
    {
        float beta = NextDecay;
        _steps++;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var average = _average[i].Data.AsSpan();
            TensorPrimitives.Multiply(average, beta, average);                                              // β·ā
            TensorPrimitives.MultiplyAdd(_parameters[i].Value.Data, 1f - beta, average, average);          // + (1 − β)·θ
        }
    }

    /// <summary>Exchanges the parameters' values with the average: call once to evaluate with the average, again to resume training.</summary>
    public void Swap()
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            var live = _parameters[i].Value.Data.AsSpan();
            var average = _average[i].Data.AsSpan();
            for (int k = 0; k < live.Length; k++) (live[k], average[k]) = (average[k], live[k]);
        }
    }
}
