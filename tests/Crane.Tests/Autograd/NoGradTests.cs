using Crane.Autograd;

namespace Crane.Tests.Autograd;

public class NoGradTests
{
    [Fact]
    public void Inside_the_scope_ops_on_parameters_record_nothing_and_the_scope_nests()
    {
        var w = Variable.Parameter(GradCheck.Random(3, 2, 1), "w");
        Assert.True(Ops.Sum(Ops.Mul(w, w)).RequiresGrad);

        Variable inner, outer;
        using (Variable.NoGrad())
        {
            using (Variable.NoGrad()) inner = Ops.Sum(Ops.Mul(w, w));
            Assert.True(Variable.IsNoGrad);
            outer = Ops.Sum(Ops.Mul(w, w));
        }

        Assert.False(Variable.IsNoGrad);
        Assert.False(inner.RequiresGrad || outer.RequiresGrad);
        Assert.True(inner.IsLeaf && outer.IsLeaf); // no parents kept: nothing to back-propagate through
        outer.Backward();
        Assert.Null(w.Grad);
        Assert.Equal(inner.Value.Data, outer.Value.Data);
        Assert.True(Ops.Sum(Ops.Mul(w, w)).RequiresGrad); // recording resumes after the scope
    }

    [Fact]
    public void The_scope_belongs_to_its_thread()
    {
        var w = Variable.Parameter(GradCheck.Random(2, 2, 2), "w");
        using var noGrad = Variable.NoGrad();
        bool recordedElsewhere = false;
        var other = new Thread(() => recordedElsewhere = Ops.Sum(w).RequiresGrad);
        other.Start();
        other.Join();
        Assert.True(recordedElsewhere);
        Assert.False(Ops.Sum(w).RequiresGrad);
    }
}
