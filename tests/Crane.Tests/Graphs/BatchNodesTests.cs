using Crane.Graphs;

namespace Crane.Tests.Graphs;

public class BatchNodesTests
{
    [Fact]
    public void Nodes_are_the_ascending_union_and_positions_point_back_to_each_id()
    {
        int[] users = [4, 0, 4], items = [9, 2, 0];
        var b = BatchNodes.Of(10, users, items);
        Assert.Equal([0, 2, 4, 9], b.Nodes);
        Assert.Equal(users, b.Positions[0].Select(k => b.Nodes[k]));
        Assert.Equal(items, b.Positions[1].Select(k => b.Nodes[k]));
    }

    [Fact]
    public void Ids_outside_the_graph_are_rejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => BatchNodes.Of(5, [1], [5]));
        Assert.Contains("Node 5", ex.Message);
    }
}
