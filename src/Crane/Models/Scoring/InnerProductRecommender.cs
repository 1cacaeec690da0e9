using Crane.Autograd;

namespace Crane.Models;

/// <summary>
/// A model that scores by ⟨u, i⟩ of a user table and an item table it computes from its
/// parameters (eleven of the twelve): it only says how to compute the two tables.
/// </summary>
public abstract class InnerProductRecommender : Recommender
{
    /// <summary>
    /// The final user (M×d) and item (N×d) tables of the current parameters, in fresh storage (not
    /// a parameter's own tensor: the scorer keeps them while training goes on). Runs under
    /// <see cref="Variable.NoGrad"/>.
    /// </summary>
    protected abstract (Tensor Users, Tensor Items) ScoringTables();

    /// <inheritdoc />
    public sealed override Scorer CreateScorer()
    {
        using var noGrad = Variable.NoGrad();
        var (users, items) = ScoringTables();
        return new InnerProductScorer(Kind, users, items);
    }
}
